import Testing

@testable import Core

@Suite struct SQLFileHeaderColumnTests {
    static let keys: Set<String> = ["name", "description", SQLFileHeader.columnKey]

    @Test func readsColumnLinesWithTheirLines() throws {
        let text = """
            -- name: analytics.orders
            -- description: One row per order.
            -- column order_id: the order's id
            --   column Amount_EUR: total, in euros -- a trailing remark
            -- column as_of: the reference time (clv run --as-of)

            select 1
            -- column ignored: after the first statement
            """
        let header = try SQLFileHeader.parse(text, file: "x.sql", allowedKeys: Self.keys)
        #expect(
            header.columns == [
                SQLFileHeader.Column(name: "order_id", meaning: "the order's id", line: 3),
                SQLFileHeader.Column(name: "amount_eur", meaning: "total, in euros", line: 4),
                SQLFileHeader.Column(name: "as_of", meaning: "the reference time (clv run --as-of)", line: 5),
            ])
        #expect(header.fields["description"]?.value == "One row per order.")
    }

    @Test func aRepeatedColumnNamesBothLines() {
        let text = "-- name: a.b\n-- column id: one\n-- description: d\n-- column id: again\nselect 1"
        let error = #expect(throws: WarehouseError.self) {
            try SQLFileHeader.parse(text, file: "x.sql", allowedKeys: Self.keys)
        }
        #expect(error?.description == "x.sql:4: column 'id' is documented twice (first on line 2)")
    }

    @Test func refusesBadColumnLines() {
        func error(_ line: String, keys: Set<String> = Self.keys) -> String? {
            do {
                _ = try SQLFileHeader.parse("-- name: a.b\n\(line)\nselect 1", file: "x.sql", allowedKeys: keys)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(
            error("-- column: a meaning")
                == "x.sql:2: a column line is '-- column NAME: meaning' with NAME a column name (letters, digits, _); got ''"
        )
        #expect(
            error("-- column two words: a meaning")
                == "x.sql:2: a column line is '-- column NAME: meaning' with NAME a column name (letters, digits, _); got 'two words'"
        )
        #expect(error("-- column id:   ") == "x.sql:2: column 'id' has no meaning after the ':'")
        #expect(
            error("-- column id: x", keys: ["name"])
                == "x.sql:2: unknown header key 'column' (expected one of: name)")
    }
}
