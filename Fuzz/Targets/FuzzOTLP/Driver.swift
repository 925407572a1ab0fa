// Entry point: SwiftPM links executables with main = FuzzOTLP_main.

import FuzzSupport

@_cdecl("FuzzOTLP_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
