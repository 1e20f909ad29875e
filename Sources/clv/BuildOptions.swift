import ArgumentParser
import Core
import Foundation
import PostgresClient
import Transforms

/// Which transforms to consider, shared by `plan` and `run`.
struct BuildOptions: ParsableArguments {
    @Option(name: .long, help: "NAME, NAME+ (with downstream) or +NAME (with upstream); repeatable. Default: all.")
    var select: [String] = []

    @Flag(name: .long, help: "Rebuild tables and incremental transforms from scratch.")
    var fullRefresh = false

    @Option(
        name: .long,
        help: "Reference time transforms see as clv_meta.as_of() (default: now), e.g. 2025-01-31T00:00:00Z.")
    var asOf: String?

    func validate() throws {
        for pattern in select where pattern.trimmingCharacters(in: CharacterSet(charactersIn: "+")).isEmpty {
            throw ValidationError("--select '\(pattern)': expected NAME, NAME+ or +NAME")
        }
        if let asOf, PostgresTimestamp.parse(asOf) == nil {
            throw ValidationError("--as-of: '\(asOf)' is not a date or timestamp (YYYY-MM-DD[THH:MM:SS][Z|±HH:MM])")
        }
    }

    var runnerOptions: TransformRunner.Options {
        var options = TransformRunner.Options()
        options.select = select
        options.fullRefresh = fullRefresh
        options.asOf = asOf.flatMap(PostgresTimestamp.parse)
        return options
    }
}
