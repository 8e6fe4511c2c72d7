"""The roles people hold in matrixpub."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import InvalidInput


class Role(StrEnum):
    ADMIN = "admin"  # 管理员: accounts, users, word lists, credentials
    AUTHOR = "author"  # 编辑/运营: writes drafts, picks targets, queues posts
    PROOFREADER = "proofreader"  # 校对: 一校 二校 三校
    EDITOR = "editor"  # 初审 责任编辑
    CHIEF = "chief"  # 复审 部门负责人
    LEADER = "leader"  # 终审 分管领导, 签发
    SECRECY = "secrecy"  # 保密审查: the extra secrecy check a reviewer may ask for
    NETINFO = "netinfo"  # 网信: the cyberspace office's extra check


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "管理员",
    Role.AUTHOR: "作者",
    Role.PROOFREADER: "校对",
    Role.EDITOR: "初审",
    Role.CHIEF: "复审",
    Role.LEADER: "终审",
    Role.SECRECY: "保密审查",
    Role.NETINFO: "网信",
}


def parse_roles(values: list[str] | tuple[str, ...]) -> tuple[Role, ...]:
    """Validate role names; keeps the given order, drops repeats."""
    if not values:
        raise InvalidInput("at least one --role is needed")
    roles: list[Role] = []
    for value in values:
        try:
            role = Role(value.strip().lower())
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise InvalidInput(
                "unknown role {role!r}; known roles: {known}", role=value, known=known
            ) from None
        if role not in roles:
            roles.append(role)
    return tuple(roles)
