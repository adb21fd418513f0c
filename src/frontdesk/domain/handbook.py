"""The owner handbook (业主手册): its shipped sections and the placeholders a
supervisor may use in them; no database.

Placeholders are written {小区名称}; each is filled from the community's details,
the fee settings or the visitor settings when the handbook is printed, so the
handbook never disagrees with what the counter charges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdesk.errors import ValidationError

PLACEHOLDERS = {
    "小区名称": "小区名称",
    "物业公司": "物业服务企业名称",
    "小区地址": "小区地址",
    "服务中心电话": "物业服务中心电话",
    "服务时间": "服务中心办公时间",
    "值班电话": "24 小时值班电话",
    "收费标准": "现行收费标准（按收费设置逐项列出）",
    "首期物业费月数": "入伙时预交的物业费月数",
    "访客信息保存天数": "访客登记信息的保存天数",
    "燃气抢修电话": "燃气公司抢修电话（未填写则不印该行）",
    "供水抢修电话": "供水公司抢修电话（未填写则不印该行）",
    "电梯困人救援电话": "电梯困人救援电话（未填写则不印该行）",
    "允许施工时间": "装修允许施工的时间（装修设置）",
    "最长工期": "装修最长工期天数（装修设置）",
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_BODY = 6000


@dataclass(frozen=True)
class SectionText:
    key: str
    title: str
    body: str  # paragraphs separated by blank lines; "- " starts a bullet


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def check_section(title: str, body: str) -> SectionText:
    """A supervisor's edit: title and body present, every placeholder known."""
    title, body = title.strip(), body.strip()
    if not title:
        raise ValidationError("章节标题", "不能为空")
    if len(title) > 40:
        raise ValidationError("章节标题", "不能超过 40 个字")
    if not body:
        raise ValidationError("章节正文", "不能为空")
    if len(body) > MAX_BODY:
        raise ValidationError("章节正文", f"不能超过 {MAX_BODY} 个字")
    if "{收费标准}" in title:
        raise ValidationError("章节标题", "{收费标准} 是多行列表，只能用在正文里")
    for text, field in ((title, "章节标题"), (body, "章节正文")):
        unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
        if unknown:
            raise ValidationError(
                field,
                f"未知的占位符 {{{unknown[0]}}}；可用的有："
                + "、".join(f"{{{name}}}" for name in PLACEHOLDERS),
            )
    return SectionText("", title, body)


def fill(text: str, values: dict[str, str]) -> str:
    """Placeholders filled; a line whose placeholder has no value (an emergency number
    the office has not entered) is left out, never printed with a blank."""
    lines = [
        line
        for line in text.split("\n")
        if not any(values.get(name) == "" for name in placeholders_in(line))
    ]
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), "\n".join(lines))


DEFAULT_SECTIONS = (
    SectionText(
        "welcome",
        "欢迎入住",
        """尊敬的业主：

欢迎您入住{小区名称}！从今天起，{物业公司}将与您一起守护这个家。我们将以专业、高效、温暖的服务，让回家成为每天最美好的期待。

本手册介绍物业服务中心的服务内容、收费标准和小区生活须知，请您和家人仔细阅读并妥善保管。手册内容如有调整，以物业服务中心公告为准。

我们推行“首问负责制”：您向任何一位工作人员提出的问题，都由他负责跟进到底，并把结果告诉您。""",
    ),
    SectionText(
        "service_centre",
        "物业服务中心",
        """- 地址：{小区地址}
- 办公时间：{服务时间}
- 服务中心电话：{服务中心电话}
- 24 小时值班电话：{值班电话}

服务中心为您办理：入伙和装修手续、物业费及代收费用缴纳、报修、投诉与建议、访客预约、门禁卡办理与补办、各类证明的开具等。

我们实行管家责任制，每栋楼都有专属管家。管家会在您入住后一周内上门拜访，平时定期回访；有任何需要，请直接联系您的管家。""",
    ),
    SectionText(
        "fees",
        "物业服务费及其他费用",
        """本小区现行收费标准如下（以物价主管部门备案和《前期物业服务协议》为准）：

{收费标准}

办理入伙手续时，请预交 {首期物业费月数} 个月物业服务费。此后物业服务费按月计收，可按季、半年或一年预交；可在服务中心以现金、微信、支付宝、银行卡缴纳，每笔缴费均开具连续编号的收据。

空置房按规定比例收取物业服务费，请向服务中心申报空置。如对账单有疑问，请随时到服务中心查询，我们将逐项为您说明。""",
    ),
    SectionText(
        "renovation",
        "装修管理",
        """装修前请到服务中心办理装修申请，提交装修方案和施工单位资质，缴纳装修押金和装修管理费，领取《装修许可证》和施工人员出入证后方可开工。

- 严禁拆改承重墙、梁、柱、剪力墙，严禁改变房屋外立面和外窗样式。
- 允许施工时间：工作日 8:00–12:00、14:00–18:00；周末及法定节假日不得进行产生噪声的施工。
- 水电改造完成后、封闭墙面前，须申请隐蔽工程验收；卫生间、厨房、阳台做防水后须做 48 小时闭水试验。
- 装修垃圾须袋装后运到指定地点，不得堆放在楼道和公共区域。

装修完工后请申请竣工验收，验收合格且无违规、无损坏公共设施的，装修押金全额退还。""",
    ),
    SectionText(
        "visitors_pets",
        "访客与宠物",
        """为了大家的安全，外来人员进入小区须登记。您可以提前致电服务中心预约访客，服务中心会给您一个 6 位预约码，请转告访客，到达时出示即可快速通行。

访客登记信息仅用于安全管理，保存 {访客信息保存天数} 天后自动清除。

- 饲养犬只请依法办理犬只登记并按时接种狂犬疫苗。
- 出户遛狗请拴绳并及时清理粪便，大型犬请佩戴嘴套；请勿带宠物进入儿童游乐区和水景区。
- 请勿在楼道、露台饲养家禽家畜。""",
    ),
    SectionText(
        "parking",
        "车辆与停车",
        """小区实行车辆出入登记管理。业主车辆请到服务中心登记车牌，办理车位使用手续后即可自动识别进出。

- 小区内限速 5 公里/小时，请礼让行人。
- 请在划定车位内停放，严禁占用消防通道、消防登高面和他人车位。
- 电动自行车请停放在集中充电区，严禁进楼入户、严禁私拉电线充电。""",
    ),
    SectionText(
        "fire_safety",
        "消防安全",
        """- 请勿在楼道、消防通道堆放杂物，保持常闭式防火门关闭。
- 请勿私拉乱接电线，离家前关闭燃气阀门和大功率电器。
- 家中建议配备灭火器、灭火毯和逃生面罩。
- 发现火情请立即拨打 119，并通知值班电话 {值班电话}；疏散时走安全楼梯，切勿乘坐电梯。

小区每年组织消防演练，欢迎您和家人参加。""",
    ),
    SectionText(
        "waste",
        "垃圾分类",
        """本小区实行生活垃圾分类投放，请按以下四类分类后投放到指定投放点：

- 可回收物：纸类、塑料瓶、金属、玻璃、旧衣物等；
- 有害垃圾：废电池、废灯管、过期药品、油漆桶等；
- 厨余垃圾：剩菜剩饭、果皮、菜叶等，请沥干水分、去除包装；
- 其他垃圾：纸巾、烟蒂、陶瓷碎片等。

大件家具和装修垃圾请预约清运，不要放在投放点。""",
    ),
    SectionText(
        "emergency",
        "紧急联系电话",
        """- 物业 24 小时值班：{值班电话}
- 物业服务中心：{服务中心电话}
- 火警：119
- 报警：110
- 急救：120
- 停电、电力故障：95598（供电服务热线）
- 停水、供水故障：{供水抢修电话}
- 燃气泄漏抢修：{燃气抢修电话}（请先开窗通风、关闭燃气总阀，到室外再拨打）
- 电梯困人救援：{电梯困人救援电话}（被困时请按轿厢内警铃，耐心等待救援）

停水、停电、电梯困人等影响生活的紧急情况，物业承诺 15 分钟响应、1 小时内提出解决方案。""",
    ),
    SectionText(
        "faq",
        "常见问题",
        """问：门禁卡丢失怎么办？
答：请带身份证件到服务中心挂失并补办，补办收取工本费。

问：家里漏水怎么办？
答：请先关闭总阀，再拨打值班电话 {值班电话}，维修人员会尽快上门。

问：可以在阳台或外墙安装空调、晾衣架吗？
答：空调外机请安装在预留机位；外墙和外立面的改动须经服务中心同意。

问：出租房屋需要办理什么手续？
答：请带租赁合同和租户身份证件到服务中心登记，租户享有同样的服务。""",
    ),
)
