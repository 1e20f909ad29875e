import Testing

@testable import Core

/// The one duration grammar, with values computed by hand.
@Suite struct DurationTextTests {
    @Test func shortAndWordForms() {
        #expect(DurationText.parse("500ms") == DurationText(count: 500, unit: .milliseconds))
        #expect(DurationText.parse(" 45m ") == DurationText(count: 45, unit: .minutes))
        #expect(DurationText.parse("3MO") == DurationText(count: 3, unit: .months))
        #expect(DurationText.parse("30 days") == DurationText(count: 30, unit: .days))
        #expect(DurationText.parse("1 year") == DurationText(count: 1, unit: .years))
        #expect(DurationText.parse("2 w") == nil)
        #expect(DurationText.parse("m") == nil)
        #expect(DurationText.parse("12") == nil)
        #expect(DurationText.parse("1.5s") == nil)
        #expect(DurationText.parse("-3d") == nil)
        #expect(DurationText.parse("-3d", signed: true) == DurationText(count: -3, unit: .days))
        #expect(DurationText.parse("+2 weeks", signed: true) == DurationText(count: 2, unit: .weeks))
    }

    @Test func lengthsInEachReadersTerms() {
        #expect(DurationText.parse("45m")?.seconds == 2700)
        #expect(DurationText.parse("500ms")?.seconds == 0.5)
        #expect(DurationText.parse("2w")?.seconds == 1_209_600)
        #expect(DurationText.parse("3mo")?.seconds == nil)
        #expect(DurationText.parse("2w")?.days == 14)
        #expect(DurationText.parse("45m")?.days == nil)
        #expect(DurationText.parse("2y")?.months == 24)
        #expect(DurationText.parse("12m")?.months == nil)
        #expect(DurationText.fixedSeconds("2h") == .success(7200))
        #expect(
            DurationText.fixedSeconds("1mo")
                == .failure(.init(reason: "is a calendar length; expected a fixed one such as 45m, 2h or 7d")))
        #expect(
            DurationText.fixedSeconds("soon")
                == .failure(.init(reason: "is not a duration (500ms, 30s, 45m, 2h, 7d, 2w, 3mo, 1y)")))
    }
}
