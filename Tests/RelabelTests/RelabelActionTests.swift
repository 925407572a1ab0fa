// Relabel actions are read case-insensitively, by Prometheus's names.

import Relabel
import Testing

@Suite struct RelabelActionTests {
    @Test func namesAreCaseInsensitive() throws {
        #expect(try RelabelAction(parsing: "Replace") == .replace)
        #expect(try RelabelAction(parsing: "LABELMAP") == .labelmap)
        #expect(RelabelAction.allCases.count == 11)
        let error = #expect(throws: RelabelConfigError.self) { try RelabelAction(parsing: "delete") }
        #expect(error?.message == #"unknown relabel action "delete""#)
    }
}
