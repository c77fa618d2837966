"""The roster import's writes in bulk (issue 13 §1).

:class:`RosterBatch` collects what the rows of a roster do — members created or changed,
posts (职务) begun or ended — deciding each row against what it already holds in memory
(the members and their current posts read once by the resolver, the current 书记/党小组长 of
every organization concerned read in one query), then :meth:`RosterBatch.flush` writes them
with a few bulk statements and their django-auditlog entries in bulk
(:mod:`taizhang.core.bulkwrite`), instead of several queries per member: a roster of
thousands of members holds the database's write lock for a moment, not for half a minute.
The rules are those of ``orgs.services`` (one holder of a single-holder post: a new 书记
ends the previous one's post; posts of the organizations the import manages and the row
does not name are ended).
"""

from __future__ import annotations

import copy

from django.utils import timezone

from taizhang.core.bulkwrite import audit_created, audit_updated, insert_rows

from .models import Member, Position


class RosterBatch:
    """The members and posts of one import; ``single_roles`` are the posts one member holds
    at a time in an organization; ``orgs``: the organizations posts may be in, by id (their
    current holders of those posts are read)."""

    def __init__(self, members: list[Member], single_roles: tuple, orgs: dict, today):
        self.today, self.orgs = today, orgs
        self.single_roles = single_roles
        self.new_members: list[Member] = []
        self.changed_members: dict[int, tuple[Member, Member]] = {}  # pk → (before, after)
        self.new_positions: list[Position] = []
        self.ended: dict[int, tuple[Position, Position]] = {}  # pk → (before, after)
        # Current posts per member (by identity: new members have no pk yet).
        self.current: dict[int, list[Position]] = {
            id(m): [p for p in m.positions.all() if p.ended_on is None] for m in members}
        self.holders: dict[tuple[int, str], Position] = {
            (p.org_id, p.role): p for p in Position.objects.filter(
                org_id__in=list(orgs), role__in=single_roles, ended_on__isnull=True).select_related("member")}

    def create_member(self, **fields) -> Member:
        """A new member (written by :meth:`flush`)."""
        member = Member(**fields)
        self.new_members.append(member)
        self.current[id(member)] = []
        return member

    def change_member(self, member: Member, changes: dict) -> None:
        """Set ``changes`` (field → value) on an existing member."""
        before = self.changed_members.get(member.pk, (copy.copy(member), None))[0]
        for key, value in changes.items():
            setattr(member, key, value)
        self.changed_members[member.pk] = (before, member)

    def _end(self, position: Position) -> None:
        if position.pk is None:  # begun earlier in this import: it is simply not written
            self.new_positions.remove(position)
        else:
            self.ended[position.pk] = (copy.copy(position), position)
            position.ended_on = self.today
        for holders in self.current.values():
            if position in holders:
                holders.remove(position)
        if self.holders.get((position.org_id, position.role)) == position:  # saved: same pk
            del self.holders[(position.org_id, position.role)]

    def sync_positions(self, member: Member, target: set[tuple[int, str]], managed_ids: set[int]) -> tuple[int, int]:
        """Make ``member``'s current posts in the ``managed_ids`` organizations exactly
        ``target`` ((org id, role) pairs). Returns (posts begun, posts ended)."""
        current = [p for p in self.current[id(member)] if p.org_id in managed_ids]
        added = ended = 0
        for position in current:
            if (position.org_id, position.role) not in target:
                self._end(position)
                ended += 1
        have = {(p.org_id, p.role) for p in current}
        for org_id, role in sorted(target - have):
            if role in self.single_roles:
                other = self.holders.get((org_id, role))
                same = other is not None and (other.member is member or (
                    member.pk is not None and other.member_id == member.pk))
                if other is not None and not same:
                    self._end(other)
                    ended += 1
            position = Position(member=member, org=self.orgs[org_id], role=role)
            self.new_positions.append(position)
            self.current[id(member)].append(position)
            if role in self.single_roles:
                self.holders[(org_id, role)] = position
            added += 1
        return added, ended

    def flush(self) -> None:
        """Write everything, with the audit trail (inside the caller's transaction)."""
        now = timezone.now()
        insert_rows(Member, self.new_members)
        members = [m for _b, m in self.changed_members.values()]
        for member in members:
            member.updated_at = now
        fields = sorted({f.name for b, m in self.changed_members.values() for f in Member._meta.concrete_fields
                         if not f.primary_key and getattr(b, f.attname) != getattr(m, f.attname)})
        if members and fields:
            Member.objects.bulk_update(members, fields, batch_size=500)
        ended = [p for _b, p in self.ended.values()]
        for position in ended:
            position.updated_at = now
        Position.objects.bulk_update(ended, ["ended_on", "updated_at"], batch_size=500)
        insert_rows(Position, self.new_positions)
        audit_created(self.new_members)
        audit_updated(list(self.changed_members.values()))
        audit_updated(list(self.ended.values()), fields=["ended_on", "updated_at"])
        audit_created(self.new_positions)
