import Posix

#if canImport(Glibc)
import Glibc
#endif

/// The command line: one command and `--flag value` pairs, in any order.
struct Options {
    var command = ""
    var values: [String: String] = [:]

    static let usage = """
        usage: achievement-client <command> [flags]

        commands: login, create, show, list, cancel, bulk, health
        flags:
          --target ADDR          127.0.0.1:7070 (default), [::1]:7070 or unix:/path.sock
          --token TOKEN          use this token (else log in with the flags below; default: the demo user)
          --username U --password P --organisation O
          --web-api-key KEY      <key id>.<secret>
          --json FILE            the request as JSON ('-': stdin); create and bulk read stdin when it is
                                 omitted; login, show, cancel and list take their flags instead
          --release TOKEN        (login) invalidate TOKEN
          --id ID | --number N | --reference R [--external-system S]    (show, cancel)
          --fields a,b,c         fields_set (show, cancel)
          --page-size N --page-token T                                   (list, also beside --json)
          --deadline-ms N        per-call deadline
        Output: the answer as JSON on stdout; on failure the status, error code and message on stderr, exit 1
        (also for health when the server answers NOT_SERVING, after printing the answer).

        """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--help" || argument == "-h" {
                print(usage, terminator: "")
                exit(0)
            }
            guard argument.hasPrefix("--") else {
                guard options.command.isEmpty else { fail("unexpected argument '\(argument)'\n" + usage) }
                options.command = argument
                index += 1
                continue
            }
            guard index + 1 < arguments.count else { fail("\(argument) needs a value") }
            options.values[String(argument.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
        guard !options.command.isEmpty else { fail(usage) }
        return options
    }

    subscript(_ key: String) -> String? { values[key] }

    var target: SocketAddress {
        let text = values["target"] ?? "127.0.0.1:7070"
        guard let address = SocketAddress(parsing: text) else { fail("--target: bad address '\(text)'") }
        return address
    }
}

/// Prints `message` on stderr and exits with `status`.
func fail(_ message: String, status: Int32 = 2) -> Never {
    printError(message)
    exit(status)
}

/// The bytes of `--json FILE`, or of stdin.
func readInput(_ path: String?) -> [UInt8] {
    if let path, path != "-" {
        do { return try FileSystem.readAll(path) } catch { fail("cannot read \(path): \(error)") }
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return bytes
}
