import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite struct CopyTests {
    struct Interrupted: Error {}

    @Test func copyInStreamsRows() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table t (id int, amount numeric)")
        let copied = try await connection.copyIn("copy t from stdin") { writer in
            for id in 1...10_000 { try writer.write("\(id)\t\(id).5\n") }
        }
        #expect(copied == 10_000)
        let rows = try await connection.query("select count(*) as n, sum(amount)::text as total from t")
        #expect(rows[0]["n"] == "10000")
        // sum(1..10000) + 10000 * 0.5 = 50005000 + 5000
        #expect(rows[0]["total"] == "50010000.0")
        try await database.drop()
    }

    @Test func failingWriterLoadsNothing() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table t (id int)")
        await #expect(throws: Interrupted.self) {
            try await connection.copyIn("copy t from stdin") { writer in
                for id in 1...1000 { try writer.write("\(id)\n") }
                throw Interrupted()
            }
        }
        let rows = try await connection.query("select count(*) as n from t")
        #expect(rows[0]["n"] == "0")
        try await database.drop()
    }

    @Test func badCopyDataIsAServerError() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table t (id int)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyIn("copy t from stdin") { writer in try writer.write("1\nnot-a-number\n") }
        }
        #expect(error?.sqlState == "22P02")
        #expect(error?.context?.hasPrefix("COPY t, line 2, column id: ") == true)
        #expect(try await connection.query("select count(*) as n from t")[0]["n"] == "0")
        try await database.drop()
    }

    @Test func copyOutStreamsRows() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let collected = Collected()
        let count = try await connection.copyOut("copy (select g, g * 2 from generate_series(1, 3) g) to stdout") {
            collected.append($0)
        }
        #expect(count == 3)
        #expect(collected.text == "1\t2\n2\t4\n3\t6\n")
        try await database.drop()
    }
}

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ bytes: UnsafeRawBufferPointer) { lock.withLock { data.append(contentsOf: bytes) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
