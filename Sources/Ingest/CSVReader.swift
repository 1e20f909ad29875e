/// Reads RFC 4180 CSV from bytes: a header row, then records; quoted fields may hold commas,
/// doubled quotes and newlines. Empty cells are absent values.
struct CSVReader {
    let bytes: [UInt8]

    /// A malformed row or file.
    struct Problem: Error {
        var line: Int
        var reason: String
    }

    /// Calls `body` with each record (header names zipped with cells) or the problem on that line.
    func forEachRecord(_ body: (Result<InputRecord, Problem>) throws -> Void) throws {
        var index = 0
        var line = 1
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        guard let (header, headerProblem) = nextRow(&index, &line) else {
            throw Problem(line: 1, reason: "the file is empty: expected a header row")
        }
        if let headerProblem { throw Problem(line: 1, reason: headerProblem) }
        guard let names = header.map({ String(validating: $0, as: UTF8.self) }) as [String?]?,
            names.allSatisfy({ $0 != nil })
        else { throw Problem(line: 1, reason: "the header is not valid UTF-8") }
        let columns = names.map { $0!.trimmingSpaces }
        while index < bytes.count {
            let startLine = line
            guard let (cells, problem) = nextRow(&index, &line) else { break }
            if cells.count == 1 && cells[0].isEmpty && problem == nil { continue }  // blank line
            if let problem {
                try body(.failure(Problem(line: startLine, reason: problem)))
                continue
            }
            guard cells.count == columns.count else {
                try body(
                    .failure(
                        Problem(line: startLine, reason: "expected \(columns.count) columns, found \(cells.count)")))
                continue
            }
            var fields: [(String, FieldValue)] = []
            fields.reserveCapacity(cells.count)
            var invalid: String?
            for (name, cell) in zip(columns, cells) where !cell.isEmpty {
                guard let text = String(validating: cell, as: UTF8.self) else {
                    invalid = "\(name): not valid UTF-8"
                    break
                }
                fields.append((name, .text(text)))
            }
            if let invalid {
                try body(.failure(Problem(line: startLine, reason: invalid)))
            } else {
                try body(.success(InputRecord(line: startLine, fields: fields)))
            }
        }
    }

    /// The header's column names (for checking them before reading rows).
    func headerNames() -> [String] {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        guard let (cells, _) = nextRow(&index, &line) else { return [] }
        return cells.map { String(decoding: $0, as: UTF8.self).trimmingSpaces }
    }

    /// The next row's cells and a problem if it is malformed; nil at the end.
    private func nextRow(_ index: inout Int, _ line: inout Int) -> ([ArraySlice<UInt8>], String?)? {
        guard index < bytes.count else { return nil }
        var cells: [ArraySlice<UInt8>] = []
        var problem: String?
        while true {
            if index < bytes.count && bytes[index] == 34 {  // quoted cell
                var value: [UInt8] = []
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == 34 {
                        if index + 1 < bytes.count && bytes[index + 1] == 34 {
                            value.append(34)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == 10 { line += 1 }
                    value.append(byte)
                    index += 1
                }
                if !closed { problem = problem ?? "a quoted cell is never closed" }
                cells.append(value[...])
                if index < bytes.count && bytes[index] != 44 && bytes[index] != 10 && bytes[index] != 13 {
                    problem = problem ?? "unexpected character after a closing quote"
                    while index < bytes.count && bytes[index] != 44 && bytes[index] != 10 { index += 1 }
                }
            } else {
                let start = index
                while index < bytes.count && bytes[index] != 44 && bytes[index] != 10 {
                    if bytes[index] == 34 { problem = problem ?? "a quote inside an unquoted cell" }
                    index += 1
                }
                var end = index
                if end > start && bytes[end - 1] == 13 { end -= 1 }
                cells.append(bytes[start..<end])
            }
            if index >= bytes.count { return (cells, problem) }
            if bytes[index] == 13 { index += 1 }
            if index >= bytes.count { return (cells, problem) }
            if bytes[index] == 44 {
                index += 1
                continue
            }
            if bytes[index] == 10 {
                index += 1
                line += 1
                return (cells, problem)
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        guard let first = utf8.first, let last = utf8.last, first == 32 || first == 9 || last == 32 || last == 9 else {
            return self
        }
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
