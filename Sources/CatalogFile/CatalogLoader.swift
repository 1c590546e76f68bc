import Domain
import FoundationEssentials

/// Reads and validates the reference data of SPEC §5 into a `Domain.Catalog`.
///
/// Called once at server start; every problem is a `CatalogFileError` naming the entry and field,
/// which the server prints before exiting. Ids come out lowercase; absent optional strings as "".
public enum CatalogLoader {
    /// Loads the catalog file at `path`.
    ///
    /// - Throws: `CatalogFileError` whose entry is `path` when the file cannot be read, else as `load(json:)`.
    public static func load(path: String) throws(CatalogFileError) -> Catalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CatalogFileError(entry: path, message: "cannot read the file: \(readFailure(error))")
        }
        return try load(json: Array(data))
    }

    /// Loads a catalog from the bytes of a JSON document.
    ///
    /// - Throws: `CatalogFileError` with entry `json` when the bytes are not JSON, else naming the bad entry and field.
    public static func load(json: [UInt8]) throws(CatalogFileError) -> Catalog {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: Data(json))
        } catch {
            throw CatalogFileError(entry: "json", message: malformedMessage(error, json))
        }
        return try CatalogBuilder.build(document)
    }

    /// The built-in demo catalog (`DemoCredentials` log in to it), used when no `--catalog` is given.
    public static func demo() -> Catalog {
        do {
            return try load(json: Array(DemoCatalog.json.utf8))
        } catch {
            // safe because: the demo JSON is a constant, loaded by CatalogLoaderTests on every test run.
            preconditionFailure("the built-in demo catalog is invalid: \(error)")
        }
    }

    /// What the decoder said, plus the line and column of the first syntax error when there is one.
    private static func malformedMessage(_ error: any Error, _ json: [UInt8]) -> String {
        var message = "malformed JSON"
        if case .dataCorrupted(let context) = error as? DecodingError {
            message += ": " + context.debugDescription
            if let underlying = context.underlyingError { message += " (\(underlying))" }
        } else {
            message += ": \(error)"
        }
        if let location = JSONSyntax.firstError(in: json) { message += " At \(location)." }
        return message
    }

    /// A short reason for a failed file read: "no such file", "permission denied", ….
    private static func readFailure(_ error: any Error) -> String {
        guard let posix = (error as? CocoaError)?.underlying as? POSIXError else { return "\(error)" }
        switch posix.code {
        case POSIXError.ENOENT: return "no such file"
        case POSIXError.EACCES, POSIXError.EPERM: return "permission denied"
        case POSIXError.EISDIR: return "it is a directory"
        case POSIXError.ENOTDIR: return "a parent is not a directory"
        default: return "\(posix.code)"
        }
    }
}
