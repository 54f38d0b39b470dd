use duban_core::plan::{AdminCodeError, CommitmentIdError};
use duban_core::{AdminCode, CommitmentId, CommitmentKey, ImportError, Plan, checksum};
use duban_report::model::{
    Cmp, Commitment as EngineCommitment, CommitmentKind, Extraction, Target as EngineTarget,
};

fn key(path: &[&str], ordinal: u32) -> CommitmentKey {
    CommitmentKey {
        government: "苏州市".into(),
        year: 2020,
        path: path.iter().map(|s| s.to_string()).collect(),
        ordinal,
    }
}

#[test]
fn key_reads_as_a_citation() {
    assert_eq!(key(&["5", "二是"], 3).to_string(), "苏州市/2020/5.二是/3");
    assert_eq!(key(&[], 1).to_string(), "苏州市/2020/-/1");
}

#[test]
fn id_is_stable_and_distinguishes_paths() {
    let a = key(&["5", "二是"], 3);
    assert_eq!(a.id(), key(&["5", "二是"], 3).id());
    assert_eq!(a.id().as_str().len(), 12);
    let others = [
        key(&["5", "一是"], 3),
        key(&["5", "二是"], 2),
        key(&["5.二是"], 3),
        key(&["5"], 3),
        CommitmentKey {
            year: 2021,
            ..a.clone()
        },
        CommitmentKey {
            government: "无锡市".into(),
            ..a.clone()
        },
    ];
    for o in &others {
        assert_ne!(a.id(), o.id(), "{o}");
    }
    assert_eq!(a.id().to_string(), a.id().as_str());
    assert_eq!(CommitmentId::parse(a.id().as_str()), Ok(a.id()));
}

#[test]
fn commitment_id_parse_checks_form() {
    for bad in ["", "abc", "0123456789AB", "0123456789abc", "0123456789ag"] {
        assert_eq!(
            CommitmentId::parse(bad),
            Err(CommitmentIdError::Malformed { input: bad.into() })
        );
    }
    assert!(CommitmentId::parse("0123456789ab").is_ok());
    assert!(serde_json::from_str::<CommitmentId>("\"nothex000000\"").is_err());
}

#[test]
fn checksum_is_sha256_hex() {
    assert_eq!(
        checksum("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(checksum("政府工作报告"), checksum("政府工作报告"));
    assert_ne!(checksum("a"), checksum("b"));
}

#[test]
fn admin_code_is_six_or_twelve_digits() {
    assert_eq!(AdminCode::parse(" 320500 ").unwrap().as_str(), "320500");
    assert!(AdminCode::parse("320500000000").is_ok());
    for bad in ["", "32050", "3205000", "32050a", "３２０５００"] {
        assert_eq!(
            AdminCode::parse(bad),
            Err(AdminCodeError::Malformed { input: bad.into() })
        );
    }
}

fn engine_target(value: f64) -> EngineTarget {
    EngineTarget {
        indicator: "高标准农田".into(),
        verb: "新增".into(),
        value,
        unit: "亩".into(),
        cmp: Cmp::Eq,
        value_max: None,
        modality: None,
        source: "新增高标准农田20万亩".into(),
        span: [0, 10],
    }
}

fn engine_commitment(id: &str, path: &[&str], deadline: Option<&str>) -> EngineCommitment {
    EngineCommitment {
        id: id.into(),
        path: path.iter().map(|s| s.to_string()).collect(),
        text: format!("text of {id}"),
        span: [0, 1],
        kind: CommitmentKind::Quantified,
        modality: None,
        deadline: deadline.map(str::to_owned),
        targets: vec![engine_target(200000.0)],
    }
}

fn extraction(commitments: Vec<EngineCommitment>) -> Extraction {
    Extraction {
        title: "2020年苏州市政府工作报告".into(),
        government: Some("苏州市".into()),
        year: Some(2020),
        sections: Vec::new(),
        commitments,
        outcomes: vec![duban_report::model::Outcome {
            target: engine_target(0.1 + 0.2),
            period: duban_report::model::Period::Year,
        }],
        goals: Vec::new(),
        dropped: Vec::new(),
    }
}

#[test]
fn import_numbers_commitments_per_path() {
    let ex = extraction(vec![
        engine_commitment("c1", &["5", "二是"], Some("2020-12-31")),
        engine_commitment("c2", &["5", "三是"], None),
        engine_commitment("c3", &["5", "二是"], Some("2020-06-30")),
    ]);
    let plan = Plan::from_extraction("苏州市", 2020, &ex).unwrap();
    let keys: Vec<String> = plan.commitments.iter().map(|c| c.key.to_string()).collect();
    assert_eq!(
        keys,
        [
            "苏州市/2020/5.二是/1",
            "苏州市/2020/5.三是/1",
            "苏州市/2020/5.二是/2"
        ]
    );
    assert_eq!(plan.commitments[0].id, plan.commitments[0].key.id());
    assert_eq!(plan.commitments[0].targets[0].value.to_string(), "200000");
    assert_eq!(plan.commitments[2].deadline, Some(crate::d("2020-06-30")));
    assert_eq!(plan.outcomes[0].value.to_string(), "0.3");
    // Re-importing the same extraction yields the same ids.
    let again = Plan::from_extraction("苏州市", 2020, &ex).unwrap();
    assert_eq!(plan, again);
}

#[test]
fn import_names_the_bad_commitment() {
    let mut bad = engine_commitment("c9", &["1"], None);
    bad.targets[0].value = f64::NAN;
    let err = Plan::from_extraction("苏州市", 2020, &extraction(vec![bad])).unwrap_err();
    assert!(matches!(err, ImportError::Value { ref commitment, .. } if commitment == "c9"));
    let late = engine_commitment("c4", &["1"], Some("6月底"));
    let err = Plan::from_extraction("苏州市", 2020, &extraction(vec![late])).unwrap_err();
    assert!(matches!(err, ImportError::Deadline { ref commitment, .. } if commitment == "c4"));
    assert!(err.to_string().contains("6月底"), "{err}");
}

#[test]
fn pinned_id_and_iso_dates() {
    // Ids are cited outside: the derivation must never change.
    assert_eq!(key(&["5", "二是"], 3).id().as_str(), "725294686d5f");
    let json = serde_json::to_string(&crate::d("2020-12-31")).unwrap();
    assert_eq!(json, "\"2020-12-31\"");
}
