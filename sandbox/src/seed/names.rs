//! Word lists for realistic seeded people and companies.

pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Linnéa", "Maja",
    "Elin", "Åsa", "Sofia", "Ida", "Märta", "Lars", "Mikael", "Anders", "Johan", "Erik", "Per",
    "Karl", "Peter", "Jan", "Thomas", "Daniel", "Fredrik", "Björn", "Oskar", "Göran", "Hugo",
    "Ali", "Noor", "Yusuf", "Mira",
];

pub const LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Åberg",
    "Öberg",
    "Hassan",
    "Ahmed",
    "Nyström",
];

pub const COMPANY_WORDS: &[&str] = &[
    "Norrsken",
    "Ekbacken",
    "Strand",
    "Fjällvind",
    "Solgläntan",
    "Hamnkvarteret",
    "Björkdalen",
    "Kvarnen",
    "Sjöbris",
    "Tallåsen",
    "Stenbro",
    "Lövhagen",
];

pub const COMPANY_KINDS: &[&str] = &[
    "Bygg AB",
    "Konsult AB",
    "Café AB",
    "Fastigheter AB",
    "Handel HB",
];

pub const WORK_ENGAGEMENTS: &[(&str, &str)] = &[
    ("Fastighetsskötare", "2e7d32"),
    ("Förvaltare", "1565c0"),
    ("Ekonom", "f9a825"),
    ("Uthyrare", "ad1457"),
];

/// The SNI codes of the reference's list, for seeded companies.
pub const SNI_CODES: &[&str] = &["68.310", "46.630", "42.110", "78.300"];

/// A name folded to ASCII, for e-mail addresses.
pub fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}
