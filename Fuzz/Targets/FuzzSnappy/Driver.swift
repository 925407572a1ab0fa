// Entry point: SwiftPM links executables with main = FuzzSnappy_main.

import FuzzSupport

@_cdecl("FuzzSnappy_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
