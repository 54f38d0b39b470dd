use duban_core::{Quantity, QuantityError};

fn check(input: &str, expected: Result<&str, &str>) {
    let got = Quantity::parse("value", input);
    match (got, expected) {
        (Ok(q), Ok(shown)) => assert_eq!(q.to_string(), shown, "input {input:?}"),
        (Err(QuantityError::NotANumber { field, input: i }), Err("nan")) => {
            assert_eq!(field, "value");
            assert_eq!(i, input);
        }
        (Err(QuantityError::OutOfRange { .. }), Err("range")) => {}
        (got, expected) => panic!("input {input:?}: got {got:?}, expected {expected:?}"),
    }
}

#[test]
fn parses_user_text() {
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("42", Ok("42")),
        ("4.5", Ok("4.5")),
        (" 4.50 ", Ok("4.5")),
        ("0.0001", Ok("0.0001")),
        ("0.00005", Ok("0.0001")),
        ("0.00004", Ok("0")),
        ("-3.25", Ok("-3.25")),
        ("+7", Ok("7")),
        (".5", Ok("0.5")),
        ("5.", Ok("5")),
        ("1.3万", Ok("13000")),
        ("2亿", Ok("200000000")),
        ("1.5万亿", Ok("1500000000000")),
        ("1.23456万", Ok("12345.6")),
        ("1,234", Ok("1234")),
        ("４２．５", Ok("42.5")),
        ("70%", Ok("70")),
        ("70％", Ok("70")),
        ("", Err("nan")),
        ("abc", Err("nan")),
        ("4.5.6", Err("nan")),
        ("四十二", Err("nan")),
        ("1e5", Err("nan")),
        ("-", Err("nan")),
        ("万", Err("nan")),
        ("1万万万亿", Err("nan")),
        ("99999999999999999999", Err("range")),
        ("1000000000000000", Err("range")),
    ];
    for (input, expected) in cases {
        check(input, *expected);
    }
}

#[test]
fn display_then_parse_is_identity() {
    let mut x: i64 = 1;
    for _ in 0..60 {
        for v in [x, -x, x / 3, x + 7] {
            let q = Quantity::from_scaled(v);
            assert_eq!(Quantity::parse("v", &q.to_string()), Ok(q), "{v}");
        }
        x = x.saturating_mul(2).saturating_add(1) % 900_000_000_000_000_000;
    }
}

#[test]
fn from_f64_rounds_to_four_places() {
    let cases: &[(f64, Option<&str>)] = &[
        (200000.0, Some("200000")),
        (0.1 + 0.2, Some("0.3")),
        (6.5, Some("6.5")),
        (1.00005, Some("1.0001")),
        (-2.5, Some("-2.5")),
        (f64::NAN, None),
        (f64::INFINITY, None),
        (1e300, None),
    ];
    for (x, expected) in cases {
        assert_eq!(
            Quantity::from_f64(*x).map(|q| q.to_string()).as_deref(),
            *expected,
            "{x}"
        );
    }
}

#[test]
fn percent_of_rounds_half_up() {
    let q = |s: &str| Quantity::parse("v", s).unwrap();
    assert_eq!(q("42").percent_of(q("100")), Some(42));
    assert_eq!(q("5.46").percent_of(q("13")), Some(42));
    assert_eq!(q("1").percent_of(q("8")), Some(13));
    assert_eq!(q("1").percent_of(q("0")), None);
    assert_eq!(q("200").percent(5), q("10"));
}

#[test]
fn serde_is_decimal_text() {
    let q = Quantity::parse("v", "4.5").unwrap();
    assert_eq!(serde_json::to_string(&q).unwrap(), "\"4.5\"");
    assert_eq!(serde_json::from_str::<Quantity>("\"4.5\"").unwrap(), q);
    assert_eq!(serde_json::from_str::<Quantity>("4.5").unwrap(), q);
    assert_eq!(
        serde_json::from_str::<Quantity>("7").unwrap(),
        Quantity::from_int(7).unwrap()
    );
    assert!(serde_json::from_str::<Quantity>("\"x\"").is_err());
}
