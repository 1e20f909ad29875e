/// Advisory lock keys shared by every clv process on a database.
public enum LockKeys {
    /// Serialises upgrades of clv_meta and the project's migrations.
    public static let migration: Int64 = 7_263_540_000
    /// Held for the whole of `clv run`: two runs never build at once.
    public static let run: Int64 = 7_263_540_002
    /// Taken shared by every writer of raw facts (inside `clv_meta.next_load_id()`, which writes
    /// this number as a literal: `LockKeyTests` checks the two agree); exclusively, for an instant,
    /// to read a watermark.
    public static let ingestBarrier: Int64 = 7_263_540_001
    /// Held while `clv predict` fits and publishes: two predictions never publish at once.
    public static let predict: Int64 = 7_263_540_003
    /// Held while payout rules are evaluated: evaluations never interleave (the match slots'
    /// primary key is the backstop).
    public static let rules: Int64 = 7_263_540_004
}
