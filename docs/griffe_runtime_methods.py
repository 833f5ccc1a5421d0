"""A griffe extension for the API reference: methods that a class gets at run time.

``UserPool``'s flows are made by ``blocking(AuthFlows.x)`` in mixins beside each flow and
``CallbackUserPool``'s camelCase methods by a loop over ``FLOWS``, so griffe's static analysis
sees attributes (or nothing) where Python sees methods. Griffe's documented remedy
("Inspecting specific objects") is an extension that inspects just those objects: for each
class, every public plain function the runtime class has (its own or inherited) that the
static analysis did not see as a function becomes a ``griffe.Function`` with the runtime
signature and docstring.
"""

from __future__ import annotations

import inspect
from typing import Any

import griffe

logger = griffe.get_logger("griffe_runtime_methods")


def _text(annotation: Any) -> str | None:
    """An annotation as the source wrote it (they are strings: ``from __future__``)."""
    if annotation is inspect.Parameter.empty:
        return None
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


class RuntimeMethods(griffe.Extension):
    """Document the methods of ``classes`` that only exist at run time."""

    def __init__(self, classes: list[str]) -> None:
        self.classes = set(classes)

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if cls.path not in self.classes:
            return
        try:
            runtime = griffe.dynamic_import(cls.path)
        except ImportError as error:
            logger.warning(f"could not import {cls.path}: {error}")
            return
        for name in dir(runtime):
            value = inspect.getattr_static(runtime, name)
            known = cls.members.get(name)
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if isinstance(known, griffe.Function):
                continue
            cls.set_member(name, self._function(name, value, cls))

    @staticmethod
    def _function(name: str, value: Any, cls: griffe.Class) -> griffe.Function:
        signature = inspect.signature(value)
        parameters = griffe.Parameters(
            *(
                griffe.Parameter(
                    param.name,
                    annotation=None if param.name == "self" else _text(param.annotation),
                    # griffe names the kinds as inspect describes them.
                    kind=griffe.ParameterKind(param.kind.description),
                    default=None if param.default is param.empty else repr(param.default),
                )
                for param in signature.parameters.values()
            )
        )
        function = griffe.Function(
            name,
            parameters=parameters,
            returns=_text(signature.return_annotation),
            parent=cls,
        )
        if value.__doc__:
            parser = cls.docstring.parser if cls.docstring else None
            function.docstring = griffe.Docstring(
                inspect.cleandoc(value.__doc__), parent=function, parser=parser
            )
        return function
