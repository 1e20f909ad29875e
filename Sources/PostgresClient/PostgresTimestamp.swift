import Foundation

/// Formats and parses `timestamptz` text in the ISO style every clv connection uses (UTC).
public enum PostgresTimestamp {
    /// `2024-03-01 12:00:00.123456+00` (the fraction only when there is one).
    public static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        return format(epochSeconds: Int(seconds), microseconds: Int(micros - seconds * 1_000_000))
    }

    /// The same text from whole epoch seconds (and microseconds): fast enough for COPY streams of
    /// millions of rows. Years past 9999 get as many digits as they need, as PostgreSQL writes them.
    public static func format(epochSeconds: Int, microseconds: Int = 0) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = CivilDate.date(fromDays: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, year >= 100_000 ? 6 : year >= 10_000 ? 5 : 4)
        bytes.append(45)
        digits(month, 2)
        bytes.append(45)
        digits(day, 2)
        bytes.append(32)
        digits(secondsOfDay / 3600, 2)
        bytes.append(58)
        digits(secondsOfDay / 60 % 60, 2)
        bytes.append(58)
        digits(secondsOfDay % 60, 2)
        if microseconds > 0 {
            bytes.append(46)
            digits(microseconds, 6)
        }
        bytes += [43, 48, 48]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` (also with `T`), or a bare date at midnight UTC.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses UTF-8 bytes; see ``parse(_:)``.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), bytes.count >= 10, bytes[4] == 45, let month = number(5..<7),
            bytes[7] == 45, let day = number(8..<10)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var micros = 0
        var offsetSeconds = 0
        var index = 10
        if index < bytes.count {
            guard bytes[index] == 32 || bytes[index] == 84, let h = number(11..<13), bytes.count > 13,
                bytes[13] == 58, let m = number(14..<16)
            else { return nil }
            hour = h
            minute = m
            index = 16
            if index < bytes.count, bytes[index] == 58 {
                guard let s = number(17..<19) else { return nil }
                second = s
                index = 19
            }
            if index < bytes.count, bytes[index] == 46 {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, 6)..<6 { micros *= 10 }
            }
            if index < bytes.count {
                if bytes[index] == 90 {  // Z
                    index += 1
                } else if bytes[index] == 43 || bytes[index] == 45 {
                    let sign = bytes[index] == 43 ? 1 : -1
                    guard let oh = number(index + 1..<index + 3) else { return nil }
                    var om = 0
                    index += 3
                    if index < bytes.count, bytes[index] == 58 {
                        guard let parsed = number(index + 1..<index + 3) else { return nil }
                        om = parsed
                        index += 3
                    } else if let parsed = number(index..<index + 2) {
                        om = parsed
                        index += 2
                    }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                }
                guard index == bytes.count else { return nil }
            }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}
