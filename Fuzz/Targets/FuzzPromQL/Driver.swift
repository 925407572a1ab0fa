// Entry point: SwiftPM links executables with main = FuzzPromQL_main.

import FuzzSupport

@_cdecl("FuzzPromQL_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
