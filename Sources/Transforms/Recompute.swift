import Foundation

/// A declared change set (`-- recompute: KEY from SOURCE, …`): the transform is written as plain
/// SQL over whole relations, and on an incremental build the engine finds the keys its sources
/// changed, recomputes the rows of those keys only (the key is pushed into the SQL as a filter),
/// and removes the published rows of those keys that the SQL no longer returns.
///
/// A source is a raw table (rows loaded, corrected or deleted since the last build, old versions
/// included, from `raw_history`) or an incremental transform that keeps changes (rows it removed or
/// added since). `SOURCE(COLUMN -> LOOKUP)` follows a changed `COLUMN` value to the keys `LOOKUP`
/// holds for it, e.g. `analytics.attributed_conversions(click_id -> raw.clicks)` for the contacts
/// of the clicks whose conversions changed; a path of lookups carries a column from one to the
/// next, e.g. `raw.message_sends(message_id -> raw.clicks.click_id -> raw.conversions)` for the
/// conversions on the clicks of changed sends.
public struct Recompute: Sendable, Equatable {
    /// One source of changed keys.
    public struct Source: Sendable, Equatable {
        /// `schema.relation` whose changes lead to keys.
        public var relation: String
        /// The column of `relation` read (the key itself unless looked up).
        public var column: String
        /// Where changed values are looked up, in order: each hop is joined on the column the
        /// previous one carried (`column` for the first) and carries its own `carry` to the next;
        /// the last gives the key.
        public var lookups: [Hop] = []
        /// For a rolling window (`SOURCE(COLUMN at TIME within LENGTHS days)`): instead of the
        /// source's changes, its rows whose time a window (reference time − length, reference
        /// time] gained or lost since the last build's reference time.
        public var window: Window? = nil
    }

    /// Rolling windows that end at the reference time: rows of the source whose `time` lies in a
    /// slice of time one of them gained or lost when the reference time moved (the slice at the
    /// reference time itself included, for windows without a start).
    public struct Window: Sendable, Equatable {
        /// The source's time column.
        public var time: String
        /// `schema.relation` holding the windows' lengths in days, and its column (NULL: no start).
        public var lengths: String
        public var lengthColumn: String
    }

    /// One lookup: a relation, and the column it carries to the next lookup (nil for the last).
    public struct Hop: Sendable, Equatable {
        public var relation: String
        public var carry: String?
    }

    /// The output column rows are recomputed by (part of the unique key).
    public var key: String
    /// How a source's value becomes the key, as SQL over the key's name (`KEY AS` form, e.g.
    /// `lower(btrim(contact)) as contact` when the published key is a normalised address); nil:
    /// the value is the key.
    public var keyExpression: String? = nil
    public var sources: [Source]

    /// Parses `[EXPRESSION as] KEY from A, B(column), C(column -> D), E(column -> F.carried)`; nil
    /// when it does not have that shape.
    static func parse(_ value: String) -> Recompute? {
        guard let from = value.range(of: " from ", options: .caseInsensitive) else { return nil }
        let head = value[..<from.lowerBound].trimmingCharacters(in: .whitespaces)
        var key = head.lowercased()
        var keyExpression: String?
        if let alias = head.range(of: " as ", options: [.caseInsensitive, .backwards]) {
            keyExpression = head[..<alias.lowerBound].trimmingCharacters(in: .whitespaces)
            key = head[alias.upperBound...].trimmingCharacters(in: .whitespaces).lowercased()
            guard keyExpression?.isEmpty == false else { return nil }
        }
        guard TransformCatalog.isPlainName(key) else { return nil }
        var sources: [Source] = []
        for entry in value[from.upperBound...].lowercased().split(separator: ",") {
            let text = entry.trimmingCharacters(in: .whitespaces)
            if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
                let relation = String(text[..<open]).trimmingCharacters(in: .whitespaces)
                let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
                if let window = Self.window(String(inside)) {
                    guard TransformCatalog.isRelationName(relation) else { return nil }
                    sources.append(Source(relation: relation, column: window.column, window: window.window))
                    continue
                }
                let parts = inside.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
                guard TransformCatalog.isRelationName(relation), TransformCatalog.isPlainName(parts[0]) else {
                    return nil
                }
                var hops: [Hop] = []
                for (index, part) in parts.dropFirst().enumerated() {
                    let names = part.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    // Every hop but the last carries a column on; the last may name the column
                    // that holds the key's value (else it holds the key itself).
                    let last = index == parts.count - 2
                    guard names.count == 3 || (last && names.count == 2), names.allSatisfy(TransformCatalog.isPlainName)
                    else { return nil }
                    hops.append(Hop(relation: "\(names[0]).\(names[1])", carry: names.count == 3 ? names[2] : nil))
                }
                sources.append(Source(relation: relation, column: parts[0], lookups: hops))
            } else {
                guard TransformCatalog.isRelationName(text) else { return nil }
                sources.append(Source(relation: text, column: key))
            }
        }
        return sources.isEmpty ? nil : Recompute(key: key, keyExpression: keyExpression, sources: sources)
    }

    /// `COLUMN at TIME within SCHEMA.RELATION.COLUMN days`, or nil.
    private static func window(_ text: String) -> (column: String, window: Window)? {
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 6, words[1] == "at", words[3] == "within", words[5] == "days",
            TransformCatalog.isPlainName(words[0]), TransformCatalog.isPlainName(words[2])
        else { return nil }
        let lengths = words[4].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard lengths.count == 3, lengths.allSatisfy(TransformCatalog.isPlainName) else { return nil }
        return (words[0], Window(time: words[2], lengths: "\(lengths[0]).\(lengths[1])", lengthColumn: lengths[2]))
    }

    /// The relations the declaration reads (sources and lookups), for `depends_on`.
    public var relations: [String] {
        sources.flatMap { source in
            [source.relation] + source.lookups.map(\.relation)
                + (source.window.map { [String($0.lengths.split(separator: ".").prefix(2).joined(separator: "."))] }
                    ?? [])
        }
    }
}
