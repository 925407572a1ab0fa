// Entry point: SwiftPM links executables with main = FuzzRemoteWrite_main.

import FuzzSupport

@_cdecl("FuzzRemoteWrite_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
