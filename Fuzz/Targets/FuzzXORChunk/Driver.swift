// Entry point: SwiftPM links executables with main = FuzzXORChunk_main.

import FuzzSupport

@_cdecl("FuzzXORChunk_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
