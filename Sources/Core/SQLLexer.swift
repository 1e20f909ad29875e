/// Just enough of PostgreSQL's lexical rules to find relation names in SQL text: it skips
/// comments, string literals (including `E''` and dollar quotes) and quoted identifiers correctly.
public enum SQLLexer {
    /// A schema-qualified name (`schema.name`) as written in the text.
    public struct QualifiedName: Equatable, Sendable {
        /// Lower-cased unless quoted, as PostgreSQL folds it: `schema.name`.
        public var name: String
        /// Unicode-scalar offsets of the whole reference in the text.
        public var range: Range<Int>
    }

    private enum Token {
        case identifier(String, Range<Int>)
        case dot(Int)
        /// A named parameter `:name` (not a `::` cast).
        case parameter(String, Range<Int>)
        case other
    }

    /// SQL whose `:name` parameters became `$1`, `$2`… (one number per distinct name).
    public struct NumberedParameters: Sendable, Equatable {
        /// The statement with `$n` placeholders.
        public var text: String
        /// Parameter names in placeholder order: `names[0]` is `$1`.
        public var names: [String]
        /// (offset in `text`, offset in the original, length in the original, length in `text`)
        /// of each replacement, in order, in Unicode scalars.
        var replacements: [(output: Int, input: Int, inputLength: Int, outputLength: Int)]

        /// Maps a 0-based Unicode-scalar offset in `text` back to the original text.
        public func originalOffset(of offset: Int) -> Int {
            var shift = 0
            for replacement in replacements where replacement.output <= offset {
                if offset < replacement.output + replacement.outputLength { return replacement.input }
                shift += replacement.inputLength - replacement.outputLength
            }
            return offset + shift
        }

        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text == rhs.text && lhs.names == rhs.names }
    }

    /// Replaces each `:name` parameter (outside strings, comments, quoted identifiers and `::`
    /// casts) with a `$n` placeholder, so the values can be bound, never spliced.
    public static func numberingNamedParameters(in text: String) -> NumberedParameters {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var names: [String] = []
        var replacements: [(Int, Int, Int, Int)] = []
        var cursor = 0
        var written = 0
        for case .parameter(let name, let range) in tokenize(scalars) {
            output.append(contentsOf: scalars[cursor..<range.lowerBound])
            written += range.lowerBound - cursor
            let number = (names.firstIndex(of: name) ?? names.count) + 1
            if number > names.count { names.append(name) }
            let placeholder = "$\(number)"
            replacements.append((written, range.lowerBound, range.count, placeholder.unicodeScalars.count))
            output.append(contentsOf: placeholder.unicodeScalars)
            written += placeholder.unicodeScalars.count
            cursor = range.upperBound
        }
        output.append(contentsOf: scalars[cursor...])
        return NumberedParameters(text: String(output), names: names, replacements: replacements)
    }

    /// Every `schema.name` reference in `text`, in order. A third part (`db.schema.name`) or a
    /// column reference (`alias.column`) also matches: callers filter by known schemas.
    public static func qualifiedNames(in text: String) -> [QualifiedName] {
        let tokens = tokenize(Array(text.unicodeScalars))
        var names: [QualifiedName] = []
        var index = 0
        while index + 2 < tokens.count {
            if case .identifier(let schema, let first) = tokens[index], case .dot = tokens[index + 1],
                case .identifier(let name, let last) = tokens[index + 2]
            {
                // Skip a name that is itself qualified by something before it (a.b.c → take b.c only if no a).
                var qualifiedBefore = false
                if index >= 1, case .dot = tokens[index - 1] { qualifiedBefore = true }
                if !qualifiedBefore {
                    names.append(QualifiedName(name: schema + "." + name, range: first.lowerBound..<last.upperBound))
                }
                index += 3
            } else {
                index += 1
            }
        }
        return names
    }

    /// Replaces every reference to `target` (`schema.name`) with `replacement` SQL text.
    public static func replacingReferences(to target: String, with replacement: String, in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var cursor = 0
        for reference in qualifiedNames(in: text) where reference.name == target {
            result.append(contentsOf: scalars[cursor..<reference.range.lowerBound])
            result.append(contentsOf: replacement.unicodeScalars)
            cursor = reference.range.upperBound
        }
        result.append(contentsOf: scalars[cursor...])
        return String(result)
    }

    private static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c.value >= 128
        }
        func isIdentPart(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || (c >= "0" && c <= "9") || c == "$" }
        while i < s.count {
            let c = s[i]
            if c == "-", i + 1 < s.count, s[i + 1] == "-" {
                while i < s.count, s[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < s.count, s[i + 1] == "*" {
                var depth = 1
                i += 2
                while i < s.count, depth > 0 {
                    if s[i] == "/", i + 1 < s.count, s[i + 1] == "*" {
                        depth += 1
                        i += 2
                    } else if s[i] == "*", i + 1 < s.count, s[i + 1] == "/" {
                        depth -= 1
                        i += 2
                    } else {
                        i += 1
                    }
                }
                tokens.append(.other)
            } else if c == "'" {
                let escapes = i > 0 && (s[i - 1] == "E" || s[i - 1] == "e")
                i += 1
                while i < s.count {
                    if escapes, s[i] == "\\" {
                        i += 2
                        continue
                    }
                    if s[i] == "'" {
                        if i + 1 < s.count, s[i + 1] == "'" {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                i += 1
                tokens.append(.other)
            } else if c == "\"" {
                let start = i
                var name = ""
                i += 1
                while i < s.count {
                    if s[i] == "\"" {
                        if i + 1 < s.count, s[i + 1] == "\"" {
                            name.unicodeScalars.append("\"")
                            i += 2
                            continue
                        }
                        break
                    }
                    name.unicodeScalars.append(s[i])
                    i += 1
                }
                i += 1
                tokens.append(.identifier(name, start..<min(i, s.count)))
            } else if c == "$", let tagEnd = dollarTagEnd(s, i) {
                let tag = Array(s[i...tagEnd])
                i = tagEnd + 1
                while i < s.count {
                    if s[i] == "$", i + tag.count <= s.count, Array(s[i..<i + tag.count]) == tag {
                        i += tag.count
                        break
                    }
                    i += 1
                }
                tokens.append(.other)
            } else if isIdentStart(c) {
                let start = i
                while i < s.count, isIdentPart(s[i]) { i += 1 }
                let word = lowercasedWord(s[start..<i])
                if i < s.count, s[i] == "'", word == "e" {
                    continue  // E'…' string: the quote is handled next round
                }
                tokens.append(.identifier(word, start..<i))
            } else if c == "." {
                tokens.append(.dot(i))
                i += 1
            } else if c == ":" {
                if i + 1 < s.count, s[i + 1] == ":" {
                    tokens.append(.other)
                    i += 2
                } else if i + 1 < s.count, isIdentStart(s[i + 1]) {
                    let start = i
                    i += 1
                    while i < s.count, isIdentPart(s[i]), s[i] != "$" { i += 1 }
                    tokens.append(.parameter(String(String.UnicodeScalarView(s[start + 1..<i])), start..<i))
                } else {
                    tokens.append(.other)
                    i += 1
                }
            } else if c == " " || c == "\n" || c == "\t" || c == "\r" {
                i += 1
            } else {
                tokens.append(.other)
                i += 1
            }
        }
        return tokens
    }

    /// For `$tag$` starting at `i`, the index of its closing `$`; nil for `$1` parameters.
    private static func dollarTagEnd(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        var j = i + 1
        while j < s.count {
            let c = s[j]
            if c == "$" { return j }
            let ok = c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (j > i + 1 && c >= "0" && c <= "9")
            if !ok { return nil }
            j += 1
        }
        return nil
    }
}

/// A word as PostgreSQL folds it: ASCII lowered byte by byte (every keyword and almost every
/// name; building each through `String.lowercased()` was most of the lexer's time), anything else
/// through `lowercased()`.
private func lowercasedWord(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(scalars.count)
    for scalar in scalars {
        guard scalar.isASCII else { return String(String.UnicodeScalarView(scalars)).lowercased() }
        let byte = UInt8(scalar.value)
        bytes.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
    }
    return String(decoding: bytes, as: UTF8.self)
}
