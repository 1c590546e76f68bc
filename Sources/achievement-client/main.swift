import Client
import Domain
import FoundationEssentials
import Posix
import Wire

#if canImport(Glibc)
import Glibc
#endif

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
_ = (numberFlag("deadline-ms"), numberFlag("page-size"))  // a bad value exits 2 before anything is sent

let client: Client
do { client = try Client(address: options.target) } catch {
    fail(ClientError(status: .unavailable, code: "CONNECT", message: "cannot connect to \(options.target): \(error)").description, status: 1)
}

/// Prints the answer as JSON, or the error on stderr and exits 1.
func finish<T>(_ result: Result<T, ClientError>, _ json: (T) -> JSON) -> Never {
    switch result {
    case .success(let value):
        print(json(value).rendered())
        exit(0)
    case .failure(let error):
        fail(error.description, status: 1)
    }
}

/// The value of a numeric flag (0 to 4294967295), nil when not given; another value exits 2 naming the flag.
func numberFlag(_ name: String) -> UInt32? {
    guard let text = options[name] else { return nil }
    guard let value = UInt32(text) else { fail("--\(name): expected a number from 0 to 4294967295, got '\(text)'") }
    return value
}

func decodeInput<T: Decodable>(_ type: T.Type) -> T {
    do { return try JSONDecoder().decode(type, from: Data(readInput(options["json"]))) } catch let error as DecodingError {
        fail("bad request JSON: \(describe(error))")
    } catch {
        fail("bad request JSON: \(error)")
    }
}

/// A decoding error as `path: what` (`amout: unknown field 'amout'`).
func describe(_ error: DecodingError) -> String {
    let (path, text): ([any CodingKey], String)
    switch error {
    case .dataCorrupted(let context): (path, text) = (context.codingPath, context.debugDescription)
    case .keyNotFound(let key, let context): (path, text) = (context.codingPath + [key], "missing")
    case .typeMismatch(let type, let context): (path, text) = (context.codingPath, "expected \(type)")
    case .valueNotFound(let type, let context): (path, text) = (context.codingPath, "expected \(type), got null")
    @unknown default: return "\(error)"
    }
    let named = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return named.isEmpty ? text : "\(named.hasPrefix(".") ? String(named.dropFirst()) : named): \(text)"
}

func loginCommand() -> LoginCommand {
    let credentials = ["username", "password", "organisation"].contains { options[$0] != nil }
    if let key = options["web-api-key"] {  // with credentials too: both are sent, and the server names the conflict
        guard credentials else { return LoginCommand(webAPIKey: key) }
        return LoginCommand(username: options["username"], password: options["password"], organisation: options["organisation"], webAPIKey: key)
    }
    if options.command == "login", let release = options["release"] { return LoginCommand(release: release) }
    if options.command == "login", options["json"] != nil { return decodeInput(LoginCommand.self) }
    return LoginCommand(username: options["username"] ?? "demo", password: options["password"] ?? "demo-password",
                        organisation: options["organisation"] ?? "DEMO")
}

/// The token to use: `--token`, or a fresh login.
func token() -> String {
    if let token = options["token"] { return token }
    switch client.login(loginCommand()) {
    case .success(let answer): return answer.token
    case .failure(let error): fail(error.description, status: 1)
    }
}

func eventLookup() -> EventLookup {
    if options["json"] != nil {
        var lookup = decodeInput(EventLookup.self)
        if lookup.token == nil { lookup.token = token() }
        return lookup
    }
    let identifier = CustomerEventIdentifier(id: options["id"], number: options["number"],
                                             externalSystemReferenceNumber: options["reference"], externalSystem: options["external-system"])
    let fields = options["fields"].map { $0.split(separator: ",").map(String.init) } ?? []
    return EventLookup(token: token(), customerEventIdentifier: identifier, fieldsSet: fields)
}

switch options.command {
case "login":
    finish(client.login(loginCommand())) { .object([("token", .string($0.token)), ("expires_at", .integer($0.expiresAt))]) }
case "health":
    // NOT_SERVING (draining) exits 1 after printing the answer: a readiness probe fails then.
    let answer = client.health()
    if case .success(let report) = answer, !report.serving {
        print(report.json.rendered())
        exit(1)
    }
    finish(answer) { $0.json }
case "create":
    var command = decodeInput(CreateAchievement.self)
    if command.token == nil { command.token = token() }
    let deadline = numberFlag("deadline-ms") ?? 0
    finish(client.create(command, deadlineMs: deadline)) { $0.json }
case "show":
    finish(client.get(eventLookup())) { $0.json }
case "cancel":
    finish(client.cancel(eventLookup())) { $0.json }
case "list":
    var query = options["json"] == nil ? ListEvents() : decodeInput(ListEvents.self)
    if query.token == nil { query.token = token() }
    if let size = numberFlag("page-size") { query.pageSize = size }
    if let pageToken = options["page-token"] { query.pageToken = pageToken }
    finish(client.list(query)) { page in
        .object([("events", .array(page.events.map(\.json))), ("next_page_token", .string(page.nextPageToken))])
    }
case "bulk":
    var command = decodeInput(CreateBulk.self)
    if command.token == nil { command.token = token() }
    finish(client.bulk(command)) { $0.json }
default:
    fail("unknown command '\(options.command)'\n" + Options.usage)
}
