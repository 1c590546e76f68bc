// The normal-build entry point of every fuzz target: replays corpus files through the same
// `LLVMFuzzerTestOneInput` function libFuzzer calls, so the corpora double as regression tests.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A generated seed input: its file name in the corpus directory and its bytes.
public struct FuzzSeed {
    public var name: String
    public var bytes: [UInt8]

    public init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Replays corpus files, or writes the generated seeds, for one fuzz target.
public enum FuzzReplay {
    /// `run(…)`, then exits with its status: the body of each target's `@main`.
    public static func main(
        target: String,
        filePath: String = #filePath,
        seeds: () -> [FuzzSeed],
        fuzz: (UnsafePointer<UInt8>, Int) -> CInt
    ) -> Never {
        exit(run(target: target, filePath: filePath, seeds: seeds, fuzz: fuzz))
    }

    /// Runs the replay command line of `target` and returns the exit status.
    ///
    /// ```
    /// <target> [FILE|DIR …]         replay the files (default: Tests/FuzzCorpus/<target>)
    /// <target> --write-seeds DIR    write the target's generated seeds into DIR
    /// ```
    /// Called once from the target's `@main` (when not built with `-DFUZZING`). A failing check
    /// traps, naming the file; a missing path or an empty corpus exits 1, bad usage 2.
    public static func run(
        target: String,
        filePath: String = #filePath,
        seeds: () -> [FuzzSeed],
        fuzz: (UnsafePointer<UInt8>, Int) -> CInt
    ) -> Int32 {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-seeds" {
            guard arguments.count == 2 else { return usage(target) }
            return writeSeeds(seeds(), to: arguments[1])
        }
        if arguments.contains(where: { $0.hasPrefix("-") }) { return usage(target) }
        let paths = arguments.isEmpty ? [corpusDirectory(target, filePath: filePath)] : arguments
        let start = ContinuousClock.now
        var count = 0
        for path in paths {
            guard let files = inputFiles(path) else {
                printError("\(target): cannot read \(path)")
                return 1
            }
            for file in files {
                guard let bytes = readFile(file) else {
                    printError("\(target): cannot read \(file)")
                    return 1
                }
                currentInputName = file
                let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
                buffer.initialize(from: bytes, count: bytes.count)
                _ = fuzz(buffer, bytes.count)
                buffer.deallocate()
                count += 1
            }
        }
        currentInputName = nil
        guard count > 0 else {
            printError("\(target): no inputs in \(paths.joined(separator: " "))")
            return 1
        }
        let elapsed = start.duration(to: .now).components
        let milliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        print("\(target): replayed \(count) inputs in \(milliseconds) ms")
        return 0
    }

    /// `<package root>/Tests/FuzzCorpus/<target>`, found from the target's source file
    /// (`<root>/Sources/Fuzz/<target>/<file>.swift`).
    private static func corpusDirectory(_ target: String, filePath: String) -> String {
        var parts = filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(min(4, parts.count))
        return parts.joined(separator: "/") + "/Tests/FuzzCorpus/\(target)"
    }

    private static func usage(_ target: String) -> Int32 {
        printError("usage: \(target) [FILE|DIR ...]\n       \(target) --write-seeds DIR")
        return 2
    }

    private static func printError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// The files of directory `path` (sorted, dot files skipped), or `[path]` for a file; nil when unreadable.
    private static func inputFiles(_ path: String) -> [String]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            var fileInfo = stat()
            let file = path + "/" + name
            if stat(file, &fileInfo) == 0, (fileInfo.st_mode & S_IFMT) == S_IFREG { names.append(file) }
        }
        return names.sorted()
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: chunk[0..<read])
            if read < chunk.count { return ferror(file) == 0 ? bytes : nil }
        }
    }

    private static func writeSeeds(_ seeds: [FuzzSeed], to directory: String) -> Int32 {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for part in directory.split(separator: "/") {  // mkdir -p
            prefix += part + "/"
            mkdir(prefix, 0o755)
        }
        for seed in seeds {
            let path = directory + "/" + seed.name
            guard let file = fopen(path, "wb") else {
                printError("cannot write \(path)")
                return 1
            }
            let written = seed.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
            guard written == seed.bytes.count else {
                printError("cannot write \(path)")
                return 1
            }
        }
        print("wrote \(seeds.count) seeds to \(directory)")
        return 0
    }
}
