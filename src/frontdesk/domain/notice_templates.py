"""The notice templates FrontDesk ships (停水、停电、电梯维保 …); no database.

Each body starts after the salutation and ends before the signature: the document
adds "尊敬的…：", the office's name, the date and the seal. Fields a clerk may leave
blank carry a default that reads well as it stands, so a notice never has a gap.
Only placeholders that suit a posted notice are used ({房号}/{业主} are for letters);
the 物业费缴费通知's {费用明细} and {应缴金额} are each household's own amounts in a
letter and the standards they follow on a posted notice.
"""

from __future__ import annotations

from frontdesk.domain.notices import (
    FEE_MONTHS_FIELD,
    FEE_START_FIELD,
    FieldKind,
    NoticeField,
    NoticeTemplate,
)

WATER_OUTAGE = NoticeTemplate(
    key="water_outage",
    name="停水通知",
    title="停水通知",
    fields=(
        NoticeField("停水时间", FieldKind.PERIOD, hint="2026-11-28 08:00至18:00"),
        NoticeField("停水原因", FieldKind.TEXT, hint="二次供水水箱清洗"),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 请提前储备好生活用水，停水期间请关闭家中所有水龙头，以免恢复供水时因无人在家造成跑水。
- 停水期间请勿使用燃气热水器、洗衣机等用水设备。
- 恢复供水初期水质可能略显浑浊，请先打开水龙头放水片刻，待水清后再饮用。""",
        ),
    ),
    body="""因{停水原因}，小区将临时停止供水，具体安排如下：

- 停水时间：{停水时间}
- 停水范围：{影响范围}

停水期间给您的生活带来不便，敬请谅解。我们将抓紧施工，争取提前恢复供水；如需延长停水时间，我们将另行通知。

温馨提示：

{注意事项}

如有疑问，请致电物业服务中心：{服务中心电话}。感谢您的理解与支持！""",
)

POWER_OUTAGE = NoticeTemplate(
    key="power_outage",
    name="停电通知",
    title="停电通知",
    fields=(
        NoticeField("停电时间", FieldKind.PERIOD, hint="2026-11-28 08:00至18:00"),
        NoticeField("停电原因", FieldKind.TEXT, hint="供电公司线路检修"),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 请提前储备少量生活用水，并为手机、应急照明灯等充好电。
- 停电前请关闭电脑、空调、热水器等电器并拔下插头，以免恢复供电时电流冲击损坏电器。
- 冰箱内的食物请提前妥善处理，停电期间尽量少开冰箱门。
- 停电前后请尽量不要乘坐电梯，以免被困；上下楼请走楼梯，注意脚下安全。
- 家中有行动不便的老人或使用医疗设备的，请提前与物业服务中心联系，我们将尽力协助。""",
        ),
    ),
    body="""因{停电原因}，小区将临时停止供电，具体安排如下：

- 停电时间：{停电时间}
- 停电范围：{影响范围}

停电期间，受影响楼栋的电梯、楼道照明、门禁和二次供水加压设备将同时停止运行，高层住户的用水也可能受到影响。给您带来不便，敬请谅解。

请您提前做好以下准备：

{注意事项}

恢复供电时间如有变化，我们将另行通知。如有疑问，请致电物业服务中心：{服务中心电话}。感谢您的理解与支持！""",
)

LIFT_MAINTENANCE = NoticeTemplate(
    key="lift_maintenance",
    name="电梯维保通知",
    title="电梯维保通知",
    fields=(
        NoticeField("维保时间", FieldKind.PERIOD, hint="2026-11-28 09:00至12:00"),
        NoticeField("电梯", FieldKind.TEXT, hint="1号梯"),
        NoticeField(
            "维保单位",
            FieldKind.TEXT,
            required=False,
            hint="杭州某某电梯工程有限公司",
            default="电梯维保单位",
        ),
        NoticeField(
            "维保项目",
            FieldKind.TEXT,
            required=False,
            hint="半月例行保养、年度安全检测",
            default="例行保养和安全检查",
        ),
    ),
    body="""为保障电梯安全运行，按照电梯定期维护保养的规定，{维保单位}将对电梯进行{维保项目}，具体安排如下：

- 维保时间：{维保时间}
- 停用电梯：{楼栋}{电梯}

维保期间该电梯暂停使用，请您合理安排出行时间，改乘其他电梯或走楼梯上下楼；陪同老人、儿童出行时请多加照看。如需搬运大件物品，请提前与物业服务中心联系，我们将协助安排。

维保完成后电梯将立即恢复运行。给您带来不便，敬请谅解！如有疑问，请致电物业服务中心：{服务中心电话}。""",
)

FIRE_DRILL = NoticeTemplate(
    key="fire_drill",
    name="消防演练通知",
    title="消防演练通知",
    fields=(
        NoticeField("演练时间", FieldKind.PERIOD, hint="2026-11-28 15:00至16:30"),
        NoticeField("集合地点", FieldKind.TEXT, hint="小区中心广场"),
        NoticeField(
            "演练内容",
            FieldKind.LONG_TEXT,
            hint="每行一项，以“- ”开头",
            default="""- 火灾报警和初起火灾扑救
- 楼内人员应急疏散
- 灭火器、室内消火栓使用示范和现场体验""",
        ),
    ),
    body="""为增强小区居民的消防安全意识，提高火灾应急处置和自救互救能力，物业服务中心将在小区内组织消防应急疏散演练，具体安排如下：

- 演练时间：{演练时间}
- 演练范围：{影响范围}
- 集合地点：{集合地点}

演练内容：

{演练内容}

演练期间，楼内将鸣响火灾警报并播放疏散广播，部分区域会施放无害的演练烟雾，请您不必惊慌。听到警报后，请听从工作人员的引导，用湿毛巾捂住口鼻，沿安全楼梯有序撤离到集合地点；疏散时切勿乘坐电梯，不要推挤。

欢迎您和家人积极参加。演练期间如对您的生活造成打扰，敬请谅解。如有疑问，请致电物业服务中心：{服务中心电话}。""",
)

FEE_NOTICE = NoticeTemplate(
    key="fee_notice",
    name="物业费缴费通知",
    title="物业费缴费通知",
    fields=(
        NoticeField("缴费期间", FieldKind.TEXT, hint="2027年度"),
        NoticeField(FEE_START_FIELD, FieldKind.TEXT, hint="2027-01", default="下月"),
        NoticeField(FEE_MONTHS_FIELD, FieldKind.TEXT, hint="12", default="12"),
        NoticeField("缴费截止日期", FieldKind.DATE, hint="2027-01-31"),
        NoticeField(
            "缴费方式",
            FieldKind.LONG_TEXT,
            hint="每行一种，以“- ”开头",
            default="""- 到物业服务中心现场缴纳，可使用现金、微信、支付宝或银行卡支付，每笔缴费均开具收据。
- 行动不便的业主可致电物业服务中心，预约工作人员上门收费。""",
        ),
    ),
    body="""感谢您一直以来对物业服务工作的理解与支持！{缴费期间}物业服务费现已开始收取，应缴费用按《物业服务合同》约定的收费标准计算如下：

{费用明细}

- 计费期间：{计费起始月份}起 {计费月数} 个月
- 应缴金额合计：{应缴金额}
- 缴费截止日期：{缴费截止日期}

以上金额不含往期欠费和水电等代收费用；如您已预交，缴费时将按实际结算。请您在截止日期前，通过以下方式缴纳：

{缴费方式}

物业服务费是小区保洁、绿化、秩序维护和公共设施设备正常运行的保障。您的按时缴费，是对小区公共服务的支持，也是对每一位邻里的尊重。

如您对费用有疑问，或需要开具缴费证明、发票，请到物业服务中心咨询，或致电{服务中心电话}。{物业公司}全体员工将继续努力，为您提供更好的服务。""",
)

COMMUNITY_EVENT = NoticeTemplate(
    key="community_event",
    name="社区活动通知",
    title="社区活动通知",
    fields=(
        NoticeField("活动名称", FieldKind.TEXT, hint="邻里中秋游园会"),
        NoticeField("活动时间", FieldKind.PERIOD, hint="2026-09-20 18:30至21:00"),
        NoticeField("活动地点", FieldKind.TEXT, hint="小区中心广场"),
        NoticeField(
            "活动内容",
            FieldKind.LONG_TEXT,
            hint="每行一项，以“- ”开头，如：- 猜灯谜、领月饼",
        ),
        NoticeField(
            "报名方式",
            FieldKind.TEXT,
            required=False,
            hint="请于9月18日前到物业服务中心报名",
            default="无需报名，活动当天直接到场即可",
        ),
    ),
    body="""远亲不如近邻。为丰富大家的社区文化生活，增进邻里之间的交流与情谊，{物业公司}将举办“{活动名称}”，诚挚邀请您和家人参加！

- 活动时间：{活动时间}
- 活动地点：{活动地点}
- 报名方式：{报名方式}

活动内容：

{活动内容}

活动期间请照看好随行的老人和儿童，注意安全；请爱护公共设施，活动结束后带走随身垃圾。如遇雨天等情况需要调整，我们将另行通知。

期待与您相聚！如有疑问，请致电物业服务中心：{服务中心电话}。""",
)

FLOOD_TYPHOON = NoticeTemplate(
    key="flood_typhoon",
    name="防汛防台温馨提示",
    title="防汛防台温馨提示",
    fields=(
        NoticeField(
            "天气预报",
            FieldKind.TEXT,
            required=False,
            hint="写成完整的一句话，如：据气象部门预报，第14号台风将于9月16日前后影响我市。",
            default="据气象部门预报，近期我市将进入主汛期，可能出现台风、强降雨等灾害性天气。",
        ),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 请关好门窗，收起阳台、露台和窗台上的花盆、晾晒衣物等物品，防止高空坠物。
- 请清理阳台、露台地漏和排水口的杂物，保持排水畅通。
- 停放在地下车库的车辆请留意积水情况，必要时移至地势较高处；请勿将车辆停放在低洼处、大树下和广告牌旁。
- 台风和暴雨期间请尽量减少外出，远离临时搭建物、大树和电线杆，切勿涉水行走。
- 家中请备好手电筒、充电宝、饮用水和常用药品。""",
        ),
    ),
    body="""{天气预报}

为保障您和家人的生命财产安全，物业服务中心提醒您做好以下防范工作：

{注意事项}

汛期物业服务中心实行 24 小时值班，已对小区排水管网、地下车库、配电房和水泵房进行检查，并备好沙袋、抽水泵等防汛物资。如发现积水、渗漏、树木倒伏或设施损坏，请立即致电物业服务中心：{服务中心电话}，我们将第一时间处理。

风雨同舟，平安相伴。感谢您的配合！""",
)

COLD_WEATHER = NoticeTemplate(
    key="cold_weather",
    name="防寒防冻温馨提示",
    title="防寒防冻温馨提示",
    fields=(
        NoticeField(
            "天气预报",
            FieldKind.TEXT,
            required=False,
            hint="写成完整的一句话，如：据气象部门预报，1月20日起我市将出现大范围雨雪冰冻天气。",
            default="据气象部门预报，近期我市将受强冷空气影响，气温明显下降，夜间最低气温将降至零度以下。",
        ),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 请关好门窗，特别是厨房、卫生间和阳台的窗户，防止寒风吹入冻裂水管。
- 安装在阳台或室外的水表、水管和热水器管道，请用保温棉等包裹保暖；长期无人居住的房屋，请关闭入户总阀并放空管道存水。
- 夜间气温很低时，可将水龙头微微打开，保持细水长流，防止水管冻结。
- 水管冻住时，请用温水慢慢浇淋或用热毛巾包裹解冻，切勿用开水浇烫或用明火烘烤。
- 使用取暖器、电热毯时请注意用电安全，人走断电；使用燃气取暖请保持通风，谨防一氧化碳中毒。
- 雨雪天气路面湿滑，出行请注意防滑，照顾好家中的老人和儿童。""",
        ),
    ),
    body="""{天气预报}

为防止水管冻裂，保障您和家人的生活安全，物业服务中心提醒您：

{注意事项}

物业服务中心已对小区公共区域的供水管道、消防管道和水泵房做好防冻保温，雨雪天气将及时清扫主要道路和出入口的积雪。如发现公共管道冻裂漏水或其他险情，请立即致电物业服务中心：{服务中心电话}。

天气寒冷，请您注意保暖，祝您和家人冬日安康！""",
)

GAS_OUTAGE = NoticeTemplate(
    key="gas_outage",
    name="停气通知",
    title="停气通知",
    fields=(
        NoticeField("停气时间", FieldKind.PERIOD, hint="2026-11-28 09:00至17:00"),
        NoticeField("停气原因", FieldKind.TEXT, hint="燃气管网改造施工"),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 停气前请关闭燃气灶具、燃气热水器和壁挂炉的开关，并关闭入户燃气阀门。
- 恢复供气后，请先确认灶具开关处于关闭状态，再打开燃气阀门；如点火不着，请稍候片刻再试，切勿连续打火。
- 恢复供气后如闻到燃气异味，请立即关闭阀门、开窗通风，切勿开关电器或使用明火，并到室外拨打燃气公司抢修电话。
- 请勿私自拆改燃气管道和设施。""",
        ),
    ),
    body="""接燃气公司通知，因{停气原因}，小区将临时停止供气，具体安排如下：

- 停气时间：{停气时间}
- 停气范围：{影响范围}

停气期间给您的生活带来不便，敬请谅解。为了您和家人的用气安全，请注意以下事项：

{注意事项}

恢复供气时间如有变化，我们将另行通知。如有疑问，请致电物业服务中心：{服务中心电话}。感谢您的理解与支持！""",
)

PEST_CONTROL = NoticeTemplate(
    key="pest_control",
    name="消杀作业通知",
    title="消杀作业通知",
    fields=(
        NoticeField("消杀时间", FieldKind.PERIOD, hint="2026-06-10 09:00至16:00"),
        NoticeField(
            "消杀区域",
            FieldKind.TEXT,
            required=False,
            hint="绿化带、地下车库、垃圾房和各楼栋楼道",
            default="小区绿化带、楼道、地下车库、垃圾房及化粪池周边等公共区域",
        ),
        NoticeField(
            "使用药剂",
            FieldKind.TEXT,
            required=False,
            hint="药剂名称",
            default="符合国家标准的低毒卫生杀虫剂和灭鼠毒饵",
        ),
        NoticeField(
            "作业单位",
            FieldKind.TEXT,
            required=False,
            hint="杭州某某环境卫生服务有限公司",
            default="专业消杀单位",
        ),
        NoticeField(
            "注意事项",
            FieldKind.LONG_TEXT,
            required=False,
            hint="每行一条，以“- ”开头",
            default="""- 请关好门窗，照看好家中的儿童和宠物，不要让他们接触刚喷洒过药剂的绿化带和地面。
- 请勿触碰、挪动投放的灭鼠毒饵和毒饵站。
- 请暂时不要在楼道和绿化带内晾晒衣物、被褥。
- 如有人员或宠物误触、误食药剂，请立即就医，并告知物业服务中心。""",
        ),
    ),
    body="""为预防和减少蚊、蝇、蟑螂和老鼠等病媒生物孳生，营造干净卫生的居住环境，{作业单位}将在小区进行消杀作业，具体安排如下：

- 作业时间：{消杀时间}
- 作业区域：{消杀区域}
- 使用药剂：{使用药剂}

消杀期间及作业后 24 小时内，请您注意：

{注意事项}

消杀作业如遇雨天将顺延，具体时间另行通知。感谢您的理解与配合！如有疑问，请致电物业服务中心：{服务中心电话}。""",
)

SHIPPED_TEMPLATES: tuple[NoticeTemplate, ...] = (
    WATER_OUTAGE,
    POWER_OUTAGE,
    LIFT_MAINTENANCE,
    FIRE_DRILL,
    FEE_NOTICE,
    COMMUNITY_EVENT,
    FLOOD_TYPHOON,
    COLD_WEATHER,
    GAS_OUTAGE,
    PEST_CONTROL,
)
