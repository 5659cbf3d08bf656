#[test]
fn every_watched_table_is_a_registered_table() {
    let names: Vec<&str> = crate::DOMAINS.iter().flat_map(|d| d.tables.iter().map(|t| t.name())).collect();
    for table in super::FEED_TABLES {
        assert!(names.contains(table), "the change feed watches {table}, which no domain registers");
    }
}
