/// Finds where a JSON text first breaks the grammar (RFC 8259), for the message when `JSONDecoder`
/// only says "not valid JSON". Nesting deeper than `maxDepth` counts as an error too.
struct JSONSyntax {
    private static let maxDepth = 512
    private let bytes: [UInt8]
    private var index = 0

    /// A failure at a byte offset, with what was expected there.
    private struct Failure: Error {
        var offset: Int
        var expected: String
    }

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// "line L, column C: expected …" for the first error in `bytes`, or nil when it is well-formed.
    static func firstError(in bytes: [UInt8]) -> String? {
        var scanner = JSONSyntax(bytes)
        do throws(Failure) {
            try scanner.value(depth: 0)
            scanner.skipSpace()
            guard scanner.index == bytes.count else { throw Failure(offset: scanner.index, expected: "end of input") }
            return nil
        } catch {
            let before = bytes[..<min(error.offset, bytes.count)]
            let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
            let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            return "line \(line), column \(column): expected \(error.expected)"
        }
    }

    private var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = next, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar, _ what: String) throws(Failure) {
        skipSpace()
        guard next == UInt8(ascii: character) else { throw Failure(offset: index, expected: what) }
        index += 1
    }

    private mutating func value(depth: Int) throws(Failure) {
        skipSpace()
        guard depth < Self.maxDepth else { throw Failure(offset: index, expected: "less nesting") }
        switch next {
        case UInt8(ascii: "{"): try container(close: "}", depth: depth, isObject: true)
        case UInt8(ascii: "["): try container(close: "]", depth: depth, isObject: false)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    /// An object or array, from its opening bracket.
    private mutating func container(close: Unicode.Scalar, depth: Int, isObject: Bool) throws(Failure) {
        index += 1
        skipSpace()
        if next == UInt8(ascii: close) {
            index += 1
            return
        }
        while true {
            if isObject {
                skipSpace()
                guard next == UInt8(ascii: "\"") else { throw Failure(offset: index, expected: "a string key") }
                try string()
                try expect(":", "':'")
            }
            try value(depth: depth + 1)
            skipSpace()
            if next == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(close, "',' or '\(close)'")
            return
        }
    }

    private mutating func string() throws(Failure) {
        index += 1
        while let byte = next {
            index += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte < 0x20 { throw Failure(offset: index - 1, expected: "no control character in a string") }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = next, Array("\"\\/bfnrtu".utf8).contains(escaped) else {
                    throw Failure(offset: index, expected: "an escape character")
                }
                index += 1
            }
        }
        throw Failure(offset: index, expected: "'\"' closing the string")
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let start = index
        for byte in word.utf8 {
            guard next == byte else { throw Failure(offset: start, expected: "'\(word)'") }
            index += 1
        }
    }

    /// `-? int frac? exp?` as RFC 8259 spells it.
    private mutating func number() throws(Failure) {
        let start = index
        if next == UInt8(ascii: "-") { index += 1 }
        if next == UInt8(ascii: "0") {
            index += 1
        } else if try digits(required: false) == 0 {
            throw Failure(offset: start, expected: "a value")
        }
        if next == UInt8(ascii: ".") {
            index += 1
            _ = try digits(required: true)
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            index += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
            _ = try digits(required: true)
        }
    }

    private mutating func digits(required: Bool) throws(Failure) -> Int {
        var count = 0
        while let byte = next, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            index += 1
            count += 1
        }
        if required && count == 0 { throw Failure(offset: index, expected: "a digit") }
        return count
    }
}
