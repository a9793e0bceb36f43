"""Dates typed the GOV.UK way: day, month and year in three boxes (the date-input component), with
error messages that name the date asked for.

    checked_on = GovukDateField(label="Date of the check", name="the date of the check",
                                help_text="For example, 27 3 2026")

crispy-forms-gds draws it as a fieldset with the label as its legend, and links each error in the
error summary to the box that is wrong."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

EARLIEST_YEAR = 1900  # a four-digit year people mean; "26" is refused rather than read as 0026


class GovukDateWidget(DateInputWidget):
    """Three boxes that bring up a number keypad on phones, without browser autofill."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.attrs.update(inputmode="numeric", autocomplete="off")


class GovukDateField(DateInputField):
    """A date in three boxes. `name` is how messages speak of it: "the date of the check"."""

    widget = GovukDateWidget

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        super().__init__(**kwargs)
        self.require_all_fields = False  # each missing box gets its own message, linked to that box
        self.error_messages.update(
            required=f"Enter {name}",
            incomplete=f"Enter {name}",
            invalid=f"{name.capitalize()} must be a real date",
        )
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.required = True
            field.max_length = 4
            field.error_messages["incomplete"] = f"{name.capitalize()} must include a {part}"
            field.error_messages["required"] = f"{name.capitalize()} must include a {part}"
            field.error_messages["max_length"] = f"{name.capitalize()} must be a real date"
            field.validators = [RegexValidator(r"^[0-9]+$", f"{name.capitalize()} must be a real date")]

    def compress(self, data_list) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year) != 4 or int(year) < EARLIEST_YEAR:
            raise ValidationError(f"{self.name.capitalize()} must include a year with 4 numbers, like 2026")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
