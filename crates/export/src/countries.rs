//! Country facts the ACLED and UCDP layouts need: ISO numeric code, the names and regions the two
//! datasets use, and the Gleditsch & Ward number UCDP keys countries by. Loaded once from
//! `data/countries.tsv` (built by `data/make_countries.py` from GeoNames' country table).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One country or territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 ("SY").
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 ("SYR").
    pub alpha3: &'static str,
    /// ISO 3166-1 numeric (760); ACLED's `iso` column.
    pub numeric: u16,
    /// The short English name ACLED and UCDP use ("Syria").
    pub name: &'static str,
    /// ACLED's region ("Middle East").
    pub acled_region: &'static str,
    /// UCDP's region ("Middle East"); empty for Antarctica.
    pub ucdp_region: &'static str,
    /// Gleditsch & Ward state number (652), UCDP's `country_id`; `None` outside the G&W list.
    pub gwno: Option<u16>,
}

struct Table {
    by_alpha2: HashMap<&'static str, Country>,
    /// Lower-cased names and alpha-3 codes to alpha-2, for reading reference datasets.
    by_name: HashMap<String, &'static str>,
    by_numeric: HashMap<u16, &'static str>,
    by_gwno: HashMap<u16, &'static str>,
}

static TSV: &str = include_str!("../data/countries.tsv");

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            by_alpha2: HashMap::new(),
            by_name: HashMap::new(),
            by_numeric: HashMap::new(),
            by_gwno: HashMap::new(),
        };
        for line in TSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&'static str> = line.split('\t').collect();
            // The file is ours and checked by a test; a malformed line is skipped, not a panic.
            let [
                alpha2,
                alpha3,
                numeric,
                name,
                acled_region,
                ucdp_region,
                gwno,
            ] = f[..]
            else {
                continue;
            };
            let country = Country {
                alpha2,
                alpha3,
                numeric: numeric.parse().unwrap_or(0),
                name,
                acled_region,
                ucdp_region,
                gwno: gwno.parse().ok(),
            };
            table.by_name.insert(name.to_lowercase(), alpha2);
            table.by_name.insert(alpha3.to_lowercase(), alpha2);
            if country.numeric != 0 {
                table.by_numeric.insert(country.numeric, alpha2);
            }
            if let Some(g) = country.gwno {
                table.by_gwno.insert(g, alpha2);
            }
            table.by_alpha2.insert(alpha2, country);
        }
        // Names the two datasets use besides the short names above.
        for (alias, alpha2) in ALIASES {
            table.by_name.insert(alias.to_lowercase(), alpha2);
        }
        table
    })
}

/// Other spellings seen in ACLED and UCDP country columns.
const ALIASES: &[(&str, &str)] = &[
    ("Syrian Arab Republic", "SY"),
    ("Congo, DR", "CD"),
    ("DR Congo (Zaire)", "CD"),
    ("DR Congo", "CD"),
    ("Congo", "CG"),
    ("Cote d'Ivoire", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Ivory Coast", "CI"),
    ("Russia (Soviet Union)", "RU"),
    ("Yemen (North Yemen)", "YE"),
    ("Serbia (Yugoslavia)", "RS"),
    ("Myanmar (Burma)", "MM"),
    ("Burma", "MM"),
    ("Cambodia (Kampuchea)", "KH"),
    ("Zimbabwe (Rhodesia)", "ZW"),
    ("Madagascar (Malagasy)", "MG"),
    ("Iran (Persia)", "IR"),
    ("Bosnia-Herzegovina", "BA"),
    ("Macedonia, FYR", "MK"),
    ("Kingdom of eSwatini (Swaziland)", "SZ"),
    ("Swaziland", "SZ"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Palestinian Territory", "PS"),
    ("Gaza Strip", "PS"),
    ("West Bank", "PS"),
    ("United States of America", "US"),
    ("Republic of Congo", "CG"),
    ("Democratic Republic of Congo", "CD"),
    ("Czechia", "CZ"),
    ("Timor-Leste", "TL"),
    ("Cape Verde", "CV"),
    ("Gambia", "GM"),
    ("Kyrgyz Republic", "KG"),
];

/// The country with this ISO alpha-2 code (case-insensitive).
pub fn by_alpha2(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    table().by_alpha2.get(code.to_ascii_uppercase().as_str())
}

/// The alpha-2 code of a country named as ACLED or UCDP name it, or by its alpha-3 code.
pub fn alpha2_from_name(name: &str) -> Option<&'static str> {
    table().by_name.get(&name.trim().to_lowercase()).copied()
}

/// The alpha-2 code of an ISO numeric code (ACLED's `iso`).
pub fn alpha2_from_numeric(numeric: u16) -> Option<&'static str> {
    table().by_numeric.get(&numeric).copied()
}

/// The alpha-2 code of a Gleditsch & Ward number (UCDP's `country_id`).
pub fn alpha2_from_gwno(gwno: u16) -> Option<&'static str> {
    table().by_gwno.get(&gwno).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_every_line() {
        assert_eq!(table().by_alpha2.len(), TSV.lines().count() - 1);
        let sy = by_alpha2("sy").unwrap();
        assert_eq!(
            (sy.numeric, sy.name, sy.acled_region, sy.gwno),
            (760, "Syria", "Middle East", Some(652))
        );
        assert_eq!(alpha2_from_name("Syrian Arab Republic"), Some("SY"));
        assert_eq!(alpha2_from_numeric(368), Some("IQ"));
        assert_eq!(alpha2_from_gwno(678), Some("YE"));
        assert_eq!(by_alpha2("PS").unwrap().gwno, None);
    }
}
