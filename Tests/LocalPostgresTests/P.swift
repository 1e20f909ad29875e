enum PLocalPostgresTests {}
