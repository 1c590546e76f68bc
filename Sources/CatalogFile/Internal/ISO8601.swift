import Domain

/// Parses the catalog's ISO-8601 dates into milliseconds since the Unix epoch.
///
/// Accepted: `2026-01-01` (midnight UTC), `2026-01-01T10:20:30Z`, with a fraction of a second
/// (`.5`, `.123456`: milliseconds kept, the rest truncated), and with a `±HH:MM` offset instead of `Z`.
enum ISO8601 {
    private static let msPerDay: Int64 = 86_400_000

    /// The instant `text` names, or nil when it is not one of the accepted forms or not a real date.
    static func milliseconds(from text: String) -> Milliseconds? {
        var cursor = Cursor(Array(text.utf8))
        guard let year = cursor.digits(4), cursor.eat("-"), let month = cursor.digits(2), cursor.eat("-"),
            let day = cursor.digits(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let midnight = daysFromCivil(year: year, month: month, day: day) * msPerDay
        if cursor.atEnd { return midnight }
        guard cursor.eat("T") || cursor.eat("t"), let time = timeOfDay(&cursor), let offset = offset(&cursor),
            cursor.atEnd
        else { return nil }
        return midnight + time - offset
    }

    /// `HH:MM:SS[.fff…]` as milliseconds since midnight.
    private static func timeOfDay(_ cursor: inout Cursor) -> Int64? {
        guard let hour = cursor.digits(2), cursor.eat(":"), let minute = cursor.digits(2), cursor.eat(":"),
            let second = cursor.digits(2), hour < 24, minute < 60, second < 60
        else { return nil }
        var millis: Int64 = 0
        if cursor.eat(".") {
            guard let fraction = cursor.fractionMilliseconds() else { return nil }
            millis = fraction
        }
        return ((hour * 60 + minute) * 60 + second) * 1000 + millis
    }

    /// `Z` as 0, or `±HH:MM` as signed milliseconds east of UTC.
    private static func offset(_ cursor: inout Cursor) -> Int64? {
        if cursor.eat("Z") || cursor.eat("z") { return 0 }
        let sign: Int64
        if cursor.eat("+") {
            sign = 1
        } else if cursor.eat("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = cursor.digits(2), cursor.eat(":"), let minutes = cursor.digits(2), hours < 24, minutes < 60
        else { return nil }
        return sign * (hours * 60 + minutes) * 60_000
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A read position in ASCII bytes.
private struct Cursor {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    /// Consumes `character` if it is next.
    mutating func eat(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Consumes exactly `count` decimal digits and returns their value.
    mutating func digits(_ count: Int) -> Int64? {
        guard bytes.count - index >= count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + count] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        index += count
        return value
    }

    /// Consumes one or more digits of a decimal fraction and returns its whole milliseconds.
    mutating func fractionMilliseconds() -> Int64? {
        var millis: Int64 = 0
        var count = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            if count < 3 { millis = millis * 10 + digit }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { millis *= 10 }
        return millis
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int64(byte - UInt8(ascii: "0"))
    }
}
