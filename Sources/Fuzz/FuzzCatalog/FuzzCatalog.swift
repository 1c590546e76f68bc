// libFuzzer target for `CatalogLoader.load(json:)` (the catalog file read at server start).
//
// Input: the JSON document. Checks, beyond "no crash": the result is a `Catalog` (which must
// also index, as the server does next) or a `CatalogFileError` naming an entry, with a message.
import CatalogFile
import Domain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let catalog = try CatalogLoader.load(json: json)
        _ = catalog.indexed()
    } catch {
        fuzzRequire(!error.message.isEmpty, "CatalogFileError without a message: \(error)")
        fuzzRequire(!error.entry.isEmpty, "CatalogFileError without an entry: \(error)")
        fuzzRequire(error.field.map { !$0.isEmpty } ?? true, "CatalogFileError with an empty field: \(error)")
    }
    return 0
}

#if !FUZZING
    @main
    struct FuzzCatalogReplay {
        static func main() {
            FuzzReplay.main(target: "FuzzCatalog", seeds: CatalogSeeds.all, fuzz: fuzz)
        }
    }
#endif
