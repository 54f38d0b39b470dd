//! The panic hook of a target whose code under test contains third-party panics itself (under
//! `catch_unwind`, answering an error): a panic raised in a file whose path holds one of the
//! given parts is silenced; any other goes to libfuzzer-sys's hook, which aborts. One that
//! escaped the guard still aborts, as it cannot unwind out of the fuzzer's entry.

/// Installs the hook; call once, from the target's `init`.
pub fn silence_panics_in(parts: &'static [&'static str]) {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let contained = info
            .location()
            .is_some_and(|l| parts.iter().any(|p| l.file().contains(p)));
        if !contained {
            abort(info);
        }
    }));
}
