//! Page furniture: the lines a web site, a newspaper or a PDF page adds around a report.
//!
//! Rules look at a line's signal words (one prebuilt Aho-Corasick automaton), its shape (short,
//! no sentence punctuation) and its place on the page (the head before the first body paragraph,
//! the tail after the last). None is tied to one site's wording. Numbered headings and body
//! paragraphs are never touched; a marker inside a paragraph is only cut at its start or end.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// Signal words that mark a short line as furniture wherever it stands on the page.
const STRONG: &[&str] = &[
    "分享到",
    "分享至",
    "一键分享",
    "扫一扫",
    "扫码",
    "二维码",
    "加入收藏",
    "收藏本页",
    "收藏本站",
    "设为首页",
    "阅读时长",
    "预计阅读",
    "阅读时间",
    "阅读约",
    "分钟阅读",
    "浏览次数",
    "阅读次数",
    "点击次数",
    "访问次数",
    "访问量",
    "浏览量",
    "阅读量",
    "点击量",
    "点击数",
    "人阅读",
    "次阅读",
    "人浏览",
    "次浏览",
    "个字",
    "字数",
    "责任编辑",
    "打印本页",
    "打印此页",
    "打印文章",
    "关闭窗口",
    "关闭本页",
    "上一篇",
    "下一篇",
    "上一页",
    "下一页",
    "返回顶部",
    "返回首页",
    "返回列表",
    "版权所有",
    "ICP备",
    "ICP证",
    "公网安备",
    "字号",
    "大 中 小",
    "大中小",
    "发布时间",
    "发布日期",
    "发表时间",
    "更新时间",
    "来源：",
    "来源:",
    "当前位置",
    "您的位置",
    "所在位置",
    "网站地图",
    "联系我们",
    "免责声明",
    "领取福利",
    "Copyright",
    "copyright",
    "All Rights",
    "相关阅读",
    "相关文章",
    "相关链接",
    "热门文章",
    "推荐阅读",
    "猜你喜欢",
];

/// Signal words that mark a line as furniture only in the head or tail of a page, and only when
/// it is very short: site names, slogans, log-in links, share and print buttons.
const WEAK: &[&str] = &[
    "分享",
    "收藏",
    "打印",
    "关闭",
    "微信",
    "微博",
    "朋友圈",
    "QQ空间",
    "点赞",
    "评论",
    "文库",
    "首页",
    "记住我",
    "福利",
    "登录",
    "注册",
    "作者：",
    "作者:",
    "编辑：",
    "编辑:",
    "稿源",
    "投稿",
    "订阅",
    "关注",
    "客户端",
    "admin",
    "网站",
    "门户",
    "频道",
    "主页",
    "Email",
    "RSS",
    "|",
    "◆",
    "»",
    ">>",
];

fn automaton() -> &'static (AhoCorasick, usize) {
    static AC: OnceLock<(AhoCorasick, usize)> = OnceLock::new();
    AC.get_or_init(|| {
        let patterns = STRONG.iter().chain(WEAK);
        // The pattern set is a constant: building it cannot fail at run time.
        #[allow(clippy::expect_used)]
        let ac = AhoCorasick::new(patterns).expect("constant furniture patterns build");
        (ac, STRONG.len())
    })
}

/// What to do with one line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict<'a> {
    /// Report content: keep as is.
    Keep,
    /// Furniture: drop the whole line.
    Drop,
    /// Keep `keep`; the fragments `cut` (at its start or end) were furniture.
    Trim {
        /// What stays of the line.
        keep: &'a str,
        /// What was cut, in order.
        cut: Vec<&'a str>,
    },
}

/// Characters that end or separate sentences: a line holding one is prose, not furniture.
fn has_sentence_punct(line: &str) -> bool {
    line.contains(['。', '；', '！', '？'])
}

/// A body paragraph: prose, or a line too long to be a button or a site name.
pub(crate) fn is_body(line: &str) -> bool {
    line.len() > 240 || (line.len() >= 24 && has_sentence_punct(line))
}

/// The most characters a licence footer holds, from its first line to the page's end (the
/// longest Wikisource template is about 250).
const LICENCE_FOOTER_MAX_CHARS: usize = 600;

/// Where a copyright-licence footer starts: the last line opening with `本作品` whose stretch to
/// the page's end (at most [`LICENCE_FOOTER_MAX_CHARS`]) names both 著作权法 and 公有领域 — the
/// public-domain template every report copied from Wikisource ends with (本作品是中华人民共和国的
/// 法律…属于公有领域。…Public domain / false), which the site's markup splits into a line a
/// link. Everything from there on is furniture; `None` when the page has no such footer.
pub(crate) fn licence_footer(lines: &[&str]) -> Option<usize> {
    let start = lines.iter().rposition(|l| l.starts_with("本作品"))?;
    let mut chars = 0;
    let (mut law, mut domain) = (false, false);
    for line in &lines[start..] {
        chars += line.chars().count();
        if chars > LICENCE_FOOTER_MAX_CHARS {
            return None;
        }
        law |= line.contains("著作权法");
        domain |= line.contains("公有领域");
    }
    (law && domain).then_some(start)
}

/// A numbered heading (`三、`, `（二）`, `5.`, `第一章`): report structure, never furniture.
pub(crate) fn is_numbered_heading(line: &str) -> bool {
    let rest = line.strip_prefix(['（', '(']).unwrap_or(line);
    let after_cn = rest.trim_start_matches(is_cn_digit);
    if after_cn.len() < rest.len() {
        return after_cn.starts_with(['、', '）', ')', '是'])
            || after_cn.starts_with(['章', '节', '部', '条']);
    }
    if let Some(after_di) = rest.strip_prefix('第') {
        let after = after_di.trim_start_matches(is_cn_digit);
        return after.len() < after_di.len() && after.starts_with(['章', '节', '部', '条']);
    }
    let after_num = rest.trim_start_matches(is_digit);
    if after_num.len() < rest.len() {
        let Some(after_dot) = after_num.strip_prefix(['.', '．', '、', '）', ')']) else {
            return false;
        };
        return after_dot
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit() && !c.is_whitespace());
    }
    false
}

fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_number_char(c: char) -> bool {
    is_digit(c) || is_cn_digit(c)
}

/// A line made only of digits (a view counter, an ID, a stray page number).
fn is_number_only(line: &str) -> bool {
    line.chars().any(is_digit)
        && line
            .chars()
            .all(|c| is_digit(c) || matches!(c, ',' | ' ' | '　'))
}

/// A line that is only a page marker: `第2页`, `- 3 -`, `（第2/2页）`, `第1页 共5页`.
fn is_page_marker_line(line: &str) -> bool {
    line.chars().any(is_digit)
        && line.chars().all(|c| {
            is_number_char(c)
                || matches!(
                    c,
                    '第' | '页'
                        | '共'
                        | '/'
                        | '-'
                        | '—'
                        | '–'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | ' '
                        | '　'
                        | '|'
                )
        })
        && (line.contains('页') || line.starts_with(['-', '—', '–']))
}

/// Strips one number (Arabic, full-width or Chinese) from the end of `s`.
fn strip_number_end(s: &str) -> Option<&str> {
    let rest = s.trim_end_matches(is_number_char);
    (rest.len() < s.len()).then_some(rest)
}

/// Strips one number from the start of `s`.
fn strip_number_start(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(is_number_char);
    (rest.len() < s.len()).then_some(rest)
}

/// Where a trailing marker starts: `core` strips the marker itself from the end of its argument;
/// a closing bracket after it needs its opening bracket before it.
fn marker_suffix(line: &str, core: fn(&str) -> Option<&str>) -> Option<usize> {
    let closed = line.strip_suffix([')', '）']);
    let s = core(closed.unwrap_or(line).trim_end())?;
    let s = if closed.is_some() {
        s.strip_suffix(['(', '（'])?
    } else {
        s
    };
    Some(s.trim_end().len())
}

/// Where a trailing page marker (`(第2/2页)`, `（第3页）`, `第2页/共5页`) starts, if there is one.
pub(crate) fn page_marker_suffix(line: &str) -> Option<usize> {
    marker_suffix(line, |s| {
        let s = strip_number_end(s.strip_suffix('页')?)?;
        if let Some(before) = s.strip_suffix('共') {
            // 第N页/共M页 or 第N页 共M页
            let before = before.trim_end_matches(['/', ' ', '　', '，', ',']);
            strip_number_end(before.strip_suffix('页')?)?.strip_suffix('第')
        } else if let Some(before) = s.strip_suffix('/') {
            strip_number_end(before)?.strip_suffix('第')
        } else {
            s.strip_suffix('第')
        }
    })
}

/// Newspaper continuation markers at a line's end (`（下转第5版）`): where the marker starts.
fn continuation_suffix(line: &str) -> Option<usize> {
    marker_suffix(line, |s| {
        let s = strip_number_end(s.strip_suffix('版')?)?.strip_suffix('第')?;
        ["下转", "转至", "转"]
            .iter()
            .find_map(|w| s.strip_suffix(w))
    })
}

/// Newspaper continuation markers at a line's start (`上接第2版`, `（紧接第3版）`): where it ends.
fn continuation_prefix(line: &str) -> Option<usize> {
    let opened = line.strip_prefix(['(', '（']);
    let s = opened.unwrap_or(line);
    let s = ["上接", "紧接", "接上", "续", "接"]
        .iter()
        .find_map(|w| s.strip_prefix(w))?;
    let s = strip_number_start(s.strip_prefix('第')?)?.strip_prefix('版')?;
    let s = if opened.is_some() {
        s.strip_prefix([')', '）'])?
    } else {
        s
    };
    Some(line.len() - s.len())
}

/// Judges one line. `in_zone` says it stands in the head or tail of its page.
pub(crate) fn classify(line: &str, in_zone: bool) -> Verdict<'_> {
    if is_numbered_heading(line) {
        return Verdict::Keep;
    }
    if is_number_only(line) || is_page_marker_line(line) {
        return Verdict::Drop;
    }
    let mut keep = line;
    let mut cut = Vec::new();
    if let Some(end) = continuation_prefix(keep) {
        cut.push(&keep[..end]);
        keep = keep[end..].trim_start();
    }
    if let Some(start) = continuation_suffix(keep) {
        cut.push(&keep[start..]);
        keep = keep[..start].trim_end();
    }
    if keep.is_empty() {
        return Verdict::Drop;
    }
    if !is_body(keep) && signal(keep, in_zone) {
        return Verdict::Drop;
    }
    if cut.is_empty() {
        Verdict::Keep
    } else {
        Verdict::Trim { keep, cut }
    }
}

/// Whether a short line carries a furniture signal word.
fn signal(line: &str, in_zone: bool) -> bool {
    if line.len() > 300 || line.contains(['。', '；']) {
        return false;
    }
    let (ac, strong) = automaton();
    let weak_ok = in_zone && line.chars().count() <= 40 && !has_sentence_punct(line);
    ac.find_overlapping_iter(line)
        .any(|m| m.pattern().as_usize() < *strong || weak_ok)
}

/// A report title on a line of its own: `2020年苏州市政府工作报告`, `政府工作报告`.
pub(crate) fn is_title(line: &str) -> bool {
    let n = line.chars().count();
    (4..=40).contains(&n)
        && line.contains("工作报告")
        && !line.starts_with(['—', '-'])
        && !line.contains(['。', '，', ',', '；', '：', ':'])
}

/// The title in a page's `<title>`: the part naming the report, site suffix and page marker cut.
pub(crate) fn title_from_html(title: &str) -> Option<String> {
    let part = title
        .split(['_', '|', '｜'])
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split("--"))
        .map(str::trim)
        .find(|p| p.contains("报告"))?;
    let part = match page_marker_suffix(part) {
        Some(at) => part[..at].trim_end(),
        None => part,
    };
    (!part.is_empty()).then(|| part.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_markers() {
        let line = "2020年苏州市政府工作报告(第2/2页)";
        assert_eq!(
            page_marker_suffix(line).map(|i| &line[..i]),
            Some("2020年苏州市政府工作报告")
        );
        let line = "2023年无锡市政府工作报告（第3页）";
        assert_eq!(
            page_marker_suffix(line).map(|i| &line[i..]),
            Some("（第3页）")
        );
        let line = "报告全文 第2页/共5页";
        assert_eq!(
            page_marker_suffix(line).map(|i| &line[..i]),
            Some("报告全文")
        );
        assert_eq!(page_marker_suffix("新增就业13万人"), None);
        assert!(is_page_marker_line("- 3 -"));
        assert!(is_page_marker_line("（第2/2页）"));
        assert!(!is_page_marker_line("——2024年3月5日"));
    }

    #[test]
    fn continuation_markers() {
        assert_eq!(classify("上接第2版", false), Verdict::Drop);
        assert_eq!(classify("（紧接第3版）", false), Verdict::Drop);
        assert_eq!(
            classify("全年新增就业13万人（下转第5版）", false),
            Verdict::Trim {
                keep: "全年新增就业13万人",
                cut: vec!["（下转第5版）"]
            }
        );
        assert_eq!(
            classify("（上接第一版）城镇调查失业率控制在5.5%左右。", false),
            Verdict::Trim {
                keep: "城镇调查失业率控制在5.5%左右。",
                cut: vec!["（上接第一版）"]
            }
        );
    }

    #[test]
    fn headings_are_kept() {
        for line in [
            "三、切实加强政府自身建设",
            "（二）分享发展成果",
            "5.深入推进乡村振兴",
            "第一章 总则",
            "一是扫码办事",
        ] {
            assert!(is_numbered_heading(line), "{line}");
            assert_eq!(classify(line, true), Verdict::Keep, "{line}");
        }
        assert!(!is_numbered_heading("221381"));
        assert!(!is_numbered_heading("2020年苏州市政府工作报告"));
    }

    #[test]
    fn weak_words_only_in_zone() {
        assert_eq!(classify("观山文库", true), Verdict::Drop);
        assert_eq!(classify("观山文库", false), Verdict::Keep);
        assert_eq!(classify("分享到：微信 微博", false), Verdict::Drop);
    }

    #[test]
    fn licence_footers() {
        // The two Wikisource templates of the national corpus, as their markup splits them.
        let law = [
            "各位代表！",
            "本作品是中华人民共和国的",
            "法律",
            "、",
            "法规",
            "，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，及其官方正式译文。根据《",
            "中华人民共和国著作权法",
            "》第五条第一项，本作品不适用于该法，在",
            "中国大陆",
            "，也可能在其他管辖区，属于",
            "公有领域",
            "。",
            "Public domain",
            "false",
        ];
        assert_eq!(licence_footer(&law), Some(1));
        let decision = [
            "会议号召，全国各族人民……努力奋斗！",
            "本作品来自中华人民共和国全国人民代表大会及其常务委员会的决定、决议。依据《",
            "中华人民共和国著作权法",
            "》第五条，本作品不适用于该法，所以属于",
            "公有领域",
            "。",
            "本模板所指的决定包括由中华人民共和国主席令公布的修改或废止法律的决定。",
            "Public domain",
        ];
        assert_eq!(licence_footer(&decision), Some(1));
        // A line opening with 本作品 that is no licence, or one followed by the report, stays.
        assert_eq!(
            licence_footer(&["本作品收录了全部指标。", "公有领域"]),
            None
        );
        let long = "加快建设现代化产业体系。".repeat(60);
        assert_eq!(
            licence_footer(&["本作品", "著作权法", "公有领域", &long]),
            None
        );
        assert_eq!(licence_footer(&["国内生产总值增长5%左右。"]), None);
    }

    #[test]
    fn html_titles() {
        assert_eq!(
            title_from_html("2020年苏州市政府工作报告(第2/2页)_观山文库").as_deref(),
            Some("2020年苏州市政府工作报告")
        );
        assert_eq!(
            title_from_html("首页 | 政府工作报告 - 中国政府网").as_deref(),
            Some("政府工作报告")
        );
        assert_eq!(title_from_html("观山文库"), None);
    }
}
