import Foundation
import Testing

/// Every module's fixed SQL (`Sources/MODULE/SQL/*.sql`) is read by its module and says what it does
/// and what its parameters are. Schema scripts (`SQL/schema`) are read by folder and are not included.
@Suite struct ModuleSQLResourceTests {
    /// One resource file.
    struct Resource {
        var module: String
        var name: String
        var text: String
    }

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    func contents(of folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }
    }

    func resources() throws -> [Resource] {
        var found: [Resource] = []
        for module in try contents(of: Self.sources) {
            let folder = module.appendingPathComponent("SQL")
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            for file in try contents(of: folder) where file.pathExtension == "sql" {
                found.append(
                    Resource(
                        module: module.lastPathComponent, name: file.deletingPathExtension().lastPathComponent,
                        text: try String(contentsOf: file, encoding: .utf8)))
            }
        }
        return found
    }

    /// The Swift sources of `module`, concatenated.
    func swiftSources(of module: String) throws -> String {
        let root = Self.sources.appendingPathComponent(module)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        return try files.filter { $0.pathExtension == "swift" }.map { try String(contentsOf: $0, encoding: .utf8) }
            .joined(separator: "\n")
    }

    /// The `$n` numbers in `text`.
    func placeholders(in text: String) -> Set<Int> {
        Set(text.matches(of: /\$([0-9]+)/).compactMap { Int($0.output.1) })
    }

    @Test func theModulesWithFixedSQLAreTheOnesExpected() throws {
        #expect(
            Set(try resources().map(\.module)) == ["Audiences", "Ingest", "Modeling", "Rules", "Scheduler"])
    }

    @Test func everyResourceIsNamedInItsModulesSwiftSources() throws {
        var sources: [String: String] = [:]
        for resource in try resources() {
            if sources[resource.module] == nil { sources[resource.module] = try swiftSources(of: resource.module) }
            let named = sources[resource.module]!.contains("\"\(resource.name)\"")
            #expect(
                named, "Sources/\(resource.module)/SQL/\(resource.name).sql is read by no code of \(resource.module)")
        }
    }

    @Test func everyResourceOpensWithACommentAndListsExactlyTheParametersItUses() throws {
        for resource in try resources() {
            let lines = resource.text.split(separator: "\n", omittingEmptySubsequences: false)
            let file = "Sources/\(resource.module)/SQL/\(resource.name).sql"
            #expect(lines.first?.hasPrefix("-- ") == true, "\(file) does not open with a comment saying what it does")
            let header = lines.prefix { $0.hasPrefix("--") }.joined(separator: "\n")
            let body = lines.dropFirst(lines.prefix { $0.hasPrefix("--") }.count).map { line in
                line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line)
            }.joined(separator: "\n")
            let used = placeholders(in: body)
            #expect(placeholders(in: header) == used, "\(file): its header lists other parameters than it uses")
            #expect(used == Set((0..<used.count).map { $0 + 1 }), "\(file): parameters \(used.sorted()) have gaps")
        }
    }
}
