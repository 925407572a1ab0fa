// AtomicFile: the new content replaces the old whole, keeps its mode, follows a symbolic link,
// and a failure leaves the old file and no temporary one.

import Foundation
import TSDB
import Testing

@Suite struct AtomicFileTests {
    @Test func replacesContentKeepingModeThroughSymlink() throws {
        try withTempDB { dir in
            let target = dir.appendingPathComponent("tenants.yml").path
            try Data("old".utf8).write(to: URL(fileURLWithPath: target))
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
            let link = dir.appendingPathComponent("link.yml").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)

            try AtomicFile.replace(link, with: Array("new content".utf8))

            #expect(try String(contentsOfFile: target, encoding: .utf8) == "new content")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
            let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
            #expect(mode == 0o640)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["link.yml", "tenants.yml"])
        }
    }

    @Test func createsAMissingFile() throws {
        try withTempDB { dir in
            let path = dir.appendingPathComponent("new.json").path
            try AtomicFile.replace(path, with: [1, 2, 3])
            #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
        }
    }

    @Test func failureLeavesNoTemporaryFile() throws {
        try withTempDB { dir in
            // A directory where the file should be: the rename fails after the temporary file was written.
            let path = dir.appendingPathComponent("busy").path
            try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
            #expect(throws: TSDBError.self) { try AtomicFile.replace(path, with: [1]) }
            #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
            #expect(throws: TSDBError.self) { try AtomicFile.replace(dir.path + "/missing/file", with: [1]) }
        }
    }
}
