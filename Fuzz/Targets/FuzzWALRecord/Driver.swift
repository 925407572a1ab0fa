// Entry point: SwiftPM links executables with main = FuzzWALRecord_main.

import FuzzSupport

@_cdecl("FuzzWALRecord_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
