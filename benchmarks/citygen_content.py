"""Deterministic content of the city data set (``citygen.py``): names, departments, topics,
readings, leave reasons and the branch committee's posts, and the two random helpers that
pick a person's name and a working day. Pure Python, no Django at import: ``STUDY_TOPICS``
is the sample data's list (``taizhang.records.sample``), read when first asked for, after
``django.setup()`` (the generators import it then)."""

from __future__ import annotations

import datetime as dt
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞宇浩凯俊晨欣怡婷雪琳颖慧倩丹蕾佳琪思雨欣然子涵梓轩宏志国庆海燕春梅晓东振"
DEPARTMENTS = ["办公室", "组织部", "宣传部", "发展改革委", "教育局", "科技局", "工信局", "公安局", "民政局", "司法局",
               "财政局", "人社局", "自然资源局", "生态环境局", "住建局", "交通运输局", "水务局", "农业农村局",
               "商务局", "文旅局", "卫健委", "应急管理局", "审计局", "市场监管局", "统计局", "医保局",
               "城管局", "信访局", "政务服务中心", "机关事务局"]
REASONS = ["出差", "病假", "参加培训", "公出", "事假", "轮休"]
THEMES = ["soul", "wisdom", "conduct", "action"]
READINGS = ["《习近平著作选读》第一卷", "《习近平著作选读》第二卷",
            "《习近平新时代中国特色社会主义思想专题摘编》", "《习近平关于调查研究论述摘编》"]
TALK_TOPICS = ["交流思想和工作情况，相互提出批评意见", "了解思想动态和工作困难", "谈学习体会和岗位履职情况",
               "听取对支部工作的意见建议"]
COMMITTEE_ROLES = ["secretary", "deputy_secretary", "organization_member", "propaganda_member",
                   "discipline_member"]



def __getattr__(name: str):
    """``STUDY_TOPICS``: the study topics of the sample data (``taizhang.records.sample``),
    imported on first use (it needs Django set up) instead of a copy of the list."""
    if name == "STUDY_TOPICS":
        from taizhang.records.sample import STUDY_TOPICS

        return STUDY_TOPICS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def person_name(rng: random.Random) -> str:
    """A Chinese name: a surname and one or two given characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def working_day(rng: random.Random, year: int, month: int) -> dt.date:
    """A working day (Mon–Fri) of the month, uniformly."""
    while True:
        date = dt.date(year, month, rng.randint(1, 28))
        if date.weekday() < 5:
            return date

