"""Prints every menu path of the root menu given, one per line, as 'Menu/Submenu/Entry' (python3-xdg)."""
import sys
import xdg.Menu


def walk(menu, path):
    for entry in menu.getEntries():
        if isinstance(entry, xdg.Menu.Menu):
            yield from walk(entry, path + [entry.getName()])
        elif isinstance(entry, xdg.Menu.MenuEntry):
            yield path + [entry.DesktopEntry.getName()]


for p in walk(xdg.Menu.parse(sys.argv[1]), []):
    print("/".join(p))
