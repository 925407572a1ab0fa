// Entry point: SwiftPM links executables with main = FuzzExposition_main.

import FuzzSupport

@_cdecl("FuzzExposition_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
