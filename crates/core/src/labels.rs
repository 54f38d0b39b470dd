//! The zh-CN words for the machine codes a message might otherwise show: request fields
//! (`reason_code`, `values[0].value`), stored things (`report`, `department`), roles and
//! actions. Every error message a person reads takes its words from here, so no code leaks
//! into it (“reason_code：…”, “未找到：report 999”); programs keep the codes (the API's `code`
//! and `field`).

/// The label of a request or form field, by its code. Indices are ignored
/// (`values[2].value` is labelled as `values.value`), a nested field without a label of its own
/// takes its last part's (`notice.message` → 督办内容), `line 12` is 第12行; an unknown code is
/// 该项, never the code itself.
pub fn field(code: &str) -> String {
    if let Some(n) = code.strip_prefix("line ") {
        return format!("第{n}行");
    }
    let plain = strip_indices(code);
    if let Some(label) = known_field(&plain) {
        return label.to_string();
    }
    let last = plain.rsplit('.').next().unwrap_or(&plain);
    known_field(last).unwrap_or("该项").to_string()
}

/// A message that names its field: the message itself when it already holds the field's
/// label (or starts with a label), else `label：message`. A message that starts with the code
/// (`as_of：…`, from older wording) has the code replaced by the label.
pub fn with_field(code: &str, message: &str) -> String {
    let label = field(code);
    let message = message
        .strip_prefix(code)
        .and_then(|rest| rest.strip_prefix('：'))
        .unwrap_or(message);
    if code.is_empty() || message.contains(label.as_str()) {
        message.to_string()
    } else {
        format!("{label}：{message}")
    }
}

fn strip_indices(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut in_index = false;
    for c in code.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

/// The table of field labels (codes as the API and the forms name them).
const FIELDS: &[(&str, &str)] = &[
    ("_csrf", "安全令牌"),
    ("answer", "答复内容"),
    ("as_of", "进度截至日期"),
    ("assignment", "任务分解"),
    ("body", "提交的内容"),
    ("cmp", "比较"),
    ("code", "选项"),
    ("commitment", "任务"),
    ("commitments.uid", "任务编号"),
    ("confirm", "确认"),
    ("corrects", "更正的填报"),
    ("correction", "更正"),
    ("date", "日期"),
    ("deadline", "完成时限"),
    ("department", "所属单位"),
    ("departments", "单位"),
    ("due", "截止日期"),
    ("email", "电子邮箱"),
    ("end", "选区终点"),
    ("evidence", "佐证材料"),
    ("evidence.name", "佐证材料文件名"),
    ("evidence.sha256", "佐证材料"),
    ("extraction", "提取结果"),
    ("figure", "数值"),
    ("file", "上传文件"),
    ("files", "报告文件"),
    ("form", "表单"),
    ("government", "所属政府"),
    ("id", "编号"),
    ("indicator", "指标"),
    ("into", "并入的单位"),
    ("key", "设置项"),
    ("kind", "更正类型"),
    ("lag_reason", "滞后原因"),
    ("lag_reason.code", "滞后原因"),
    ("lag_reason.text", "原因说明"),
    ("lead", "牵头单位"),
    ("level", "层级"),
    ("limit", "条数"),
    ("login", "用户名"),
    ("message", "督办内容"),
    ("name", "名称"),
    ("narrative", "工作进展"),
    ("note", "配合情况"),
    ("offset", "起始位置"),
    ("other", "合并的任务"),
    ("page", "页码"),
    ("partly_amount_percent", "部分兑现总量比例"),
    ("partly_rate_points", "部分兑现增速差距"),
    ("password", "密码"),
    ("path", "部分"),
    ("per_page", "每页条数"),
    ("percent", "完成比例"),
    ("period", "填报周期类型"),
    ("plan", "计划进度"),
    ("q", "检索词"),
    ("query", "查询条件"),
    ("random", "随机数"),
    ("reason", "理由"),
    ("reason_code", "滞后原因"),
    ("reason_text", "原因说明"),
    ("report", "报告"),
    ("role", "角色"),
    ("round", "填报周期"),
    ("sha256", "佐证材料"),
    ("short_name", "单位简称"),
    ("span", "文字位置"),
    ("stage", "形象进度节点"),
    ("start", "选区起点"),
    ("state", "状态"),
    ("status", "状态"),
    ("support", "配合单位"),
    ("target", "指标序号"),
    ("text", "答复内容"),
    ("title", "标题"),
    ("token", "令牌"),
    ("unit", "单位"),
    ("value", "数值"),
    ("value_max", "上限"),
    ("values", "指标数值"),
    ("values.target", "指标序号"),
    ("values.value", "数值"),
    ("verdict", "兑现评定"),
    ("within_days", "天数"),
    ("year", "年份"),
];

fn known_field(code: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A kind of stored thing a message names (未找到报告 999, 用户「zhang」已存在).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// 报告.
    Report,
    /// 政府.
    Government,
    /// 单位 (a department).
    Department,
    /// 用户.
    User,
    /// 任务 (a commitment).
    Commitment,
    /// 任务分解 (an assignment).
    Assignment,
    /// 督办单.
    Notice,
    /// 答复.
    Answer,
    /// 令牌.
    Token,
    /// 填报周期.
    Round,
    /// 佐证材料.
    Evidence,
    /// 设置.
    Setting,
    /// 记录 (a row of some table).
    Row,
}

impl Entity {
    /// The code name (`report`, `department`, …).
    pub fn code(self) -> &'static str {
        match self {
            Entity::Report => "report",
            Entity::Government => "government",
            Entity::Department => "department",
            Entity::User => "user",
            Entity::Commitment => "commitment",
            Entity::Assignment => "assignment",
            Entity::Notice => "notice",
            Entity::Answer => "answer",
            Entity::Token => "token",
            Entity::Round => "round",
            Entity::Evidence => "evidence",
            Entity::Setting => "setting",
            Entity::Row => "row",
        }
    }

    /// The zh-CN name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Entity::Report => "报告",
            Entity::Government => "政府",
            Entity::Department => "单位",
            Entity::User => "用户",
            Entity::Commitment => "任务",
            Entity::Assignment => "任务分解",
            Entity::Notice => "督办单",
            Entity::Answer => "答复",
            Entity::Token => "令牌",
            Entity::Round => "填报周期",
            Entity::Evidence => "佐证材料",
            Entity::Setting => "设置",
            Entity::Row => "记录",
        }
    }

    /// The thing with its key, as a message names it (`报告 999`; the bare name for an empty
    /// key).
    pub fn named(self, key: impl std::fmt::Display) -> String {
        let key = key.to_string();
        if key.is_empty() {
            self.label_zh().to_string()
        } else {
            format!("{} {key}", self.label_zh())
        }
    }
}

/// The zh-CN label of a role, by its code name (`viewer` → 只读用户); the code itself is never
/// returned.
pub fn role(code: &str) -> &'static str {
    match code {
        "admin" => "系统管理员",
        "supervisor" => "督查室",
        "department" => "责任单位",
        "viewer" => "只读用户",
        _ => "该角色",
    }
}

/// The zh-CN words for an action, by its code name (`assign` → 分配任务), as in
/// “只读用户无权分配任务”.
pub fn action(code: &str) -> &'static str {
    match code {
        "read_public" => "查看公开信息",
        "read_internal" => "查看内部信息",
        "read_task" => "查看该任务",
        "report_progress" => "填报该任务的进度",
        "sign_off" => "签收该任务",
        "assign" => "分配任务",
        "issue_notice" => "下发、退回或办结督办单",
        "answer_notice" => "答复该督办单",
        "report_support" => "填报该任务的配合情况",
        "import_report" => "导入报告",
        "manage_users" => "管理用户",
        "manage_departments" => "管理单位",
        "administer_departments" => "修改或合并单位",
        "manage_settings" => "修改设置",
        "export" => "导出内部数据",
        "read_audit" => "查看审计日志",
        "override_verdict" => "改判兑现评定",
        _ => "执行该操作",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_labelled_without_their_codes() {
        assert_eq!(field("reason_code"), "滞后原因");
        assert_eq!(field("values[3].value"), "数值");
        assert_eq!(field("notice.message"), "督办内容");
        assert_eq!(field("line 12"), "第12行");
        assert_eq!(field("no_such_field"), "该项");
        assert_eq!(with_field("as_of", "as_of：请填写"), "进度截至日期：请填写");
        assert_eq!(
            with_field("login", "「用户名」不能为空"),
            "「用户名」不能为空"
        );
        assert_eq!(with_field("file", "请选择文件"), "上传文件：请选择文件");
    }

    #[test]
    fn every_entity_has_a_chinese_name() {
        assert_eq!(Entity::Report.named(999), "报告 999");
        assert_eq!(Entity::Answer.named(""), "答复");
        assert_eq!(role("viewer"), "只读用户");
        assert_eq!(action("assign"), "分配任务");
    }
}
