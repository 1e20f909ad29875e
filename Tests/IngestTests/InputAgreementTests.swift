import Foundation
import Testing

@testable import Ingest

/// clv's checks agree with PostgreSQL's input functions value by value: clv accepts a value exactly
/// when PostgreSQL accepts the text clv writes for it, and that text means what the value means.
/// Values outside clv's narrower grammar (which clv refuses by design) need only the first half.
@Suite struct InputAgreementTests {
    /// One value to judge; `reference` is PostgreSQL text with the value's meaning (usually the
    /// value itself); `strict` when PostgreSQL accepting it means clv must accept it too.
    struct Sample {
        var input: String
        var reference: String
        var strict: Bool
    }

    /// What clv writes for `input` in a column of `type`, nil when it refuses it.
    static func written(_ input: String, as type: InputColumnType) -> String? {
        guard FieldLimits.problem(input) == nil, case .success(let text) = type.coerce(.text(input)) else { return nil }
        return text
    }

    /// Every disagreement between clv and PostgreSQL, and how many values PostgreSQL refused.
    static func disagreements(
        _ samples: [Sample], writes: (String) -> String?, type: String, referenceType: String? = nil
    ) async throws -> (problems: [String], refusedByPostgres: Int) {
        let written = samples.map { writes($0.input) }
        let postgres = try await PostgresInputs.make()
        let reference = try await postgres.parse(samples.map(\.reference), as: referenceType ?? type)
        var parsedWritten = try await postgres.parse(written.compactMap { $0 }, as: type)[...]
        try await postgres.tearDown()
        var problems: [String] = []
        for (index, sample) in samples.enumerated() {
            let input = sample.input.debugDescription.prefix(60)
            if let text = written[index] {
                let parsed = parsedWritten.removeFirst()
                if parsed == nil {
                    problems.append("clv accepts \(input) as \(text.prefix(60)) but PostgreSQL refuses it")
                } else if let meaning = reference[index], meaning != parsed {
                    problems.append(
                        "\(input) is \(meaning.prefix(60)) to PostgreSQL but clv writes \(parsed!.prefix(60))")
                }
            } else if sample.strict, let meaning = reference[index] {
                problems.append("PostgreSQL accepts \(input) as \(meaning.prefix(60)) but clv refuses it")
            }
        }
        return (problems, reference.filter { $0 == nil }.count)
    }

    /// `count` samples from `make`, a third of them mutated; `strict` decides each one.
    static func samples(
        _ count: Int, seed: UInt64, _ make: (inout InputSamples) -> String, strict: (String) -> Bool
    ) -> [Sample] {
        var random = InputSamples(seed: seed)
        return (0..<count).map { index in
            var input = make(&random)
            if index % 3 == 0 { input = random.mutate(input) }
            return Sample(input: input, reference: input, strict: strict(input))
        }
    }

    /// clv's timestamp grammar (see `TimestampText`), around which PostgreSQL reads more forms.
    static var isoGrammar: Regex<AnyRegexOutput> {
        try! Regex(#"\s*\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?\s*"#)
    }
    static var dateGrammar: Regex<AnyRegexOutput> { try! Regex(#"\s*\d{4}-\d{2}-\d{2}\s*"#) }

    func expectAgreement(_ result: (problems: [String], refusedByPostgres: Int), refusals: Int) {
        #expect(
            result.problems.isEmpty, "\(result.problems.count): \(result.problems.prefix(15).joined(separator: "\n"))")
        #expect(result.refusedByPostgres >= refusals, "too few values PostgreSQL refuses to test anything")
    }

    @Test func timestamps() async throws {
        let grammar = Self.isoGrammar
        let samples = Self.samples(
            4500, seed: 1, { $0.timestamp() }, strict: { (try? grammar.wholeMatch(in: $0)) != nil })
        let result = try await Self.disagreements(
            samples, writes: { Self.written($0, as: .timestamp) }, type: "timestamptz")
        expectAgreement(result, refusals: 1000)
    }

    @Test func epochSeconds() async throws {
        // Only digits are epoch seconds to clv; PostgreSQL's to_timestamp also takes -5 or 1e5.
        let samples = Self.samples(
            600, seed: 2, { $0.epoch() }, strict: { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } })
        let result = try await Self.disagreements(
            samples, writes: { Self.written($0, as: .timestamp) }, type: "timestamptz", referenceType: "epoch")
        expectAgreement(result, refusals: 50)
    }

    @Test func dates() async throws {
        let grammar = Self.dateGrammar
        let samples = Self.samples(1500, seed: 3, { $0.date() }, strict: { (try? grammar.wholeMatch(in: $0)) != nil })
        let result = try await Self.disagreements(samples, writes: { Self.written($0, as: .date) }, type: "date")
        expectAgreement(result, refusals: 300)
    }

    @Test func numbers() async throws {
        let special = try Regex(#"(?i)\s*[+-]?(nan|inf|infinity)\s*"#)
        let samples = Self.samples(2500, seed: 4, { $0.number() }, strict: { (try? special.wholeMatch(in: $0)) == nil })
        let result = try await Self.disagreements(samples, writes: { Self.written($0, as: .numeric) }, type: "numeric")
        expectAgreement(result, refusals: 300)
    }

    @Test func booleans() async throws {
        let samples = Self.samples(800, seed: 5, { $0.boolean() }, strict: { _ in true })
        let result = try await Self.disagreements(samples, writes: { Self.written($0, as: .boolean) }, type: "boolean")
        expectAgreement(result, refusals: 100)
    }

    @Test func durations() async throws {
        var random = InputSamples(seed: 6)
        let samples = (0..<1200).map { _ in
            let (input, reference) = random.duration()
            // clv refuses negative counts in the short form by design.
            return Sample(input: input, reference: reference, strict: input.contains(" ") || !input.hasPrefix("-"))
        }
        let result = try await Self.disagreements(
            samples, writes: { Self.written($0, as: .duration) }, type: "interval")
        expectAgreement(result, refusals: 200)
    }

    @Test func textLists() async throws {
        var random = InputSamples(seed: 7)
        let samples = (0..<300).map { _ in
            let list = random.list()
            return Sample(input: list, reference: list, strict: true)
        }
        let result = try await Self.disagreements(
            samples, writes: { Self.written($0, as: .textList) }, type: "text[]", referenceType: "pipelist")
        expectAgreement(result, refusals: 0)
    }

    /// Data points go into `params` jsonb: JSON numbers must fit numeric, text that turns into a
    /// number must too.
    @Test func jsonDataPoints() async throws {
        func writes(_ line: String) -> String? {
            var parser = JSONLineParser(bytes: Array(line.utf8)[...])
            guard case .success(let fields) = parser.parseObject(),
                fields.allSatisfy({ RowEncoder.parameterProblem(name: $0.0, value: $0.1) == nil })
            else { return nil }
            return RowEncoder.json(fields)
        }
        var random = InputSamples(seed: 8)
        let samples = (0..<1000).map { index in
            var number = random.number()
            if index % 3 == 0 { number = random.mutate(number) }
            // Text that reads as a plain decimal becomes a number: PostgreSQL need only accept it.
            guard index % 2 == 0 else {
                return Sample(input: #"{"x": \#(RowEncoder.quoted(number))}"#, reference: "", strict: false)
            }
            // A line break cannot be inside an NDJSON line.
            let line = #"{"x": \#(number)}"#
            return Sample(input: line, reference: line, strict: !number.utf8.contains(10))
        }
        let result = try await Self.disagreements(samples, writes: writes, type: "jsonb")
        expectAgreement(result, refusals: 100)
    }
}
