import PostgresClient

/// Fast `YYYY-MM-DD HH:MM:SS+00` text for epoch seconds (COPY input, millions of rows).
enum TimestampText {
    static func format(_ epochSeconds: Int) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = CivilDate.date(fromDays: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(22)
        func two(_ value: Int) {
            bytes.append(UInt8(48 + value / 10))
            bytes.append(UInt8(48 + value % 10))
        }
        two(year / 100)
        two(year % 100)
        bytes.append(45)
        two(month)
        bytes.append(45)
        two(day)
        bytes.append(32)
        two(secondsOfDay / 3600)
        bytes.append(58)
        two(secondsOfDay / 60 % 60)
        bytes.append(58)
        two(secondsOfDay % 60)
        bytes += [43, 48, 48]
        return String(decoding: bytes, as: UTF8.self)
    }
}
