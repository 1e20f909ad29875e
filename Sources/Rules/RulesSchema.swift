import Core

extension ModuleSchema {
    /// The Rules module's tables: rules, conditions, the outcome ledger, slots and payout
    /// statements (`Sources/Rules/SQL/schema`). They replace project migrations 0005, 0006 and
    /// 0011–0015; project migration 0009 dropped the conversion report view 0005 made, and now
    /// drops it only where it exists (its checksum as shipped is accepted).
    public static let rules = ModuleSchema(
        module: "Rules", files: RulesSQL.files,
        rewritten: [9: "32bc1ae964738fd6c64bdf02e346b263f13502a54cb2a8a5373c18047b1da3c8"])
}
