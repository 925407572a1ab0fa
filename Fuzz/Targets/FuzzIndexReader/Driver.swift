// Entry point: SwiftPM links executables with main = FuzzIndexReader_main.

import FuzzSupport

@_cdecl("FuzzIndexReader_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
