// Entry point: SwiftPM links executables with main = FuzzHistogramChunk_main.

import FuzzSupport

@_cdecl("FuzzHistogramChunk_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzz)
}
