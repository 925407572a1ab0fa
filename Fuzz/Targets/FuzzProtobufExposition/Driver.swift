// Entry point: SwiftPM links executables with main = FuzzProtobufExposition_main.

import FuzzSupport

@_cdecl("FuzzProtobufExposition_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
