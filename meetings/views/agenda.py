"""Placeholder (agenda views are being built)."""

from django.views import View

__all__ = ['AgendaView', 'DayCreateView', 'DayDeleteView', 'DayUpdateView', 'ItemCreateView', 'ItemDeleteView', 'ItemMoveView', 'ItemUpdateView']


class AgendaView(View):
    verb = None


class DayCreateView(View):
    verb = None


class DayDeleteView(View):
    verb = None


class DayUpdateView(View):
    verb = None


class ItemCreateView(View):
    verb = None


class ItemDeleteView(View):
    verb = None


class ItemMoveView(View):
    verb = None


class ItemUpdateView(View):
    verb = None
