import PostgresClient

/// Checks timestamp and date text the way PostgreSQL's `timestamptz` and `date` input functions
/// will read it (session time zone UTC), on UTF-8 bytes and without allocating when it is good.
///
/// The grammar clv takes is narrower than PostgreSQL's: `YYYY-MM-DD` with a four-digit year
/// 0001–9999, optionally followed by `T`, `t` or a space and `HH:MM[:SS[.f]]` (one to nine
/// fraction digits) and a zone `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`. Within it, a value is
/// accepted exactly when PostgreSQL accepts it: real calendar days, `24:00:00` but nothing after
/// it, second `60` while the time stays within the day, offsets up to ±15:59.
enum TimestampText {
    /// The latest epoch second PostgreSQL can store (294276-12-31 23:59:59 UTC).
    static let maxEpochSeconds = 9_224_318_015_999

    /// Nil when `bytes` is a good timestamp (or, with `dateOnly`, a good `YYYY-MM-DD` date), else
    /// why it is refused, worded to follow the quoted value (`is not a real date: …`).
    static func problem(_ bytes: UnsafeBufferPointer<UInt8>, dateOnly: Bool = false) -> String? {
        var scanner = Scanner(bytes: bytes)
        guard let year = scanner.digits(4), scanner.take(45), let month = scanner.digits(2), scanner.take(45),
            let day = scanner.digits(2)
        else { return dateOnly ? syntaxDate : syntaxTimestamp }
        if let problem = calendarProblem(year: year, month: month, day: day) { return problem }
        if scanner.atEnd { return nil }
        guard !dateOnly else { return syntaxDate }
        guard scanner.take(84) || scanner.take(116) || scanner.take(32), let hour = scanner.digits(2),
            scanner.take(58), let minute = scanner.digits(2)
        else { return syntaxTimestamp }
        var second = 0
        var micros = 0
        if scanner.take(58) {
            guard let parsed = scanner.digits(2) else { return syntaxTimestamp }
            second = parsed
            if scanner.take(46) {
                guard let fraction = scanner.fractionMicros() else { return syntaxTimestamp }
                micros = fraction
            }
        }
        if let problem = timeProblem(hour: hour, minute: minute, second: second, micros: micros) { return problem }
        if scanner.atEnd || scanner.take(90) || scanner.take(122) {
            return scanner.atEnd ? nil : syntaxTimestamp
        }
        guard scanner.take(43) || scanner.take(45), let offsetHours = scanner.digits(2) else { return syntaxTimestamp }
        var offsetMinutes = 0
        if !scanner.atEnd {
            _ = scanner.take(58)
            guard let parsed = scanner.digits(2), scanner.atEnd else { return syntaxTimestamp }
            offsetMinutes = parsed
        }
        guard offsetHours <= 15, offsetMinutes <= 59 else {
            return "is out of range: time zone offsets go up to ±15:59"
        }
        return nil
    }

    /// True when `bytes` are all digits: whole seconds since 1970-01-01 00:00 UTC.
    static func isEpoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Epoch seconds (see ``isEpoch(_:)``) as `timestamptz` text; nil past PostgreSQL's latest timestamp.
    static func epochText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var seconds = 0
        for byte in bytes {
            seconds = seconds * 10 + Int(byte - 48)
            if seconds > maxEpochSeconds { return nil }
        }
        return PostgresTimestamp.format(epochSeconds: seconds)
    }

    private static let syntaxTimestamp = "is not a timestamp (ISO 8601 or epoch seconds)"
    private static let syntaxDate = "is not a date (YYYY-MM-DD)"
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private static func calendarProblem(year: Int, month: Int, day: Int) -> String? {
        guard year >= 1 else { return "is not a real date: there is no year 0000" }
        guard month >= 1, month <= 12 else { return "is not a real date: there is no month \(month)" }
        let days = CivilDate.daysIn(year: year, month: month)
        guard day >= 1, day <= days else {
            return "is not a real date: \(monthNames[month - 1]) \(year) has \(days) days"
        }
        return nil
    }

    /// PostgreSQL allows 24:00:00 and second 60 as long as the time is not past the end of the day.
    private static func timeProblem(hour: Int, minute: Int, second: Int, micros: Int) -> String? {
        guard hour <= 24, minute <= 59, second <= 60 else { return "is out of range: not a time of day" }
        let total = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros
        guard total <= 86_400_000_000, hour < 24 || total == 86_400_000_000 else {
            return "is out of range: the time of day is past 24:00:00"
        }
        return nil
    }

    /// Reads fixed-width fields from the front of a value.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        /// One to nine digits after the point, rounded to microseconds as PostgreSQL rounds them
        /// (`rint(strtod(".fffffffff") * 1e6)`, half to even).
        mutating func fractionMicros() -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - start < 9 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            let count = index - start
            guard count > 0 else { return nil }
            if count <= 6 {
                for _ in count..<6 { value *= 10 }
                return value
            }
            let text = "0." + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return Int((Double(text)! * 1_000_000).rounded(.toNearestOrEven))
        }
    }
}
