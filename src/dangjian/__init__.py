"""Dangjian KB: a linked-data knowledge base of China's grassroots Party-building."""

__version__ = "0.1.0"
