//! One template as a workbook: the table's sheet (header row, frozen; required columns bold on a coloured ground;
//! an input message and, where the values are listed, a drop-down on every column), the `dictionary` sheet, and
//! the hidden `lists` sheet that the drop-downs read. Its bytes depend on the table, the reference tables and the
//! language alone (the creation time is fixed as for the output workbooks).

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, Worksheet, XlsxError,
    worksheet_range_absolute,
};

use super::{Check, ListKind, TemplateColumn, TemplateTable};
use crate::catalog::Reference;
use crate::io::workbook::{column_width, header_format, properties, sheet_column, sheet_row};
use crate::lang::Lang;
use crate::records::labelled::SEPARATOR;

/// The last row of a sheet (0-based), so that a drop-down covers every row someone may fill.
const LAST_ROW: u32 = 1_048_575;
/// The most characters Excel shows in an input message.
const MESSAGE_LIMIT: usize = 255;
/// The ground of a required column's heading: a pale amber, readable in print.
const REQUIRED_GROUND: u32 = 0xFFE699;
/// A column of labelled codes is as wide as this text.
const LABELLED_WIDTH: &str = "KEN — United Republic";
/// The sheet of the allowed values.
const LISTS: &str = "lists";

/// The words of the dictionary sheet in each language.
struct Words {
    headings: [&'static str; 4],
    yes: &'static str,
    no: &'static str,
    pick: &'static str,
    notes: [&'static str; 3],
}

fn words(lang: Lang) -> Words {
    lang.pick(
        Words {
            headings: ["column", "required", "meaning", "allowed values"],
            yes: "yes",
            no: "no",
            pick: "pick from the drop-down list",
            notes: [
                "Required columns are bold on a coloured ground. Column meanings are in English.",
                "A code may be written alone (KEN, ITI-2a, 2) or as the list writes it, with its own title or name \
                 after \" — \" (KEN — Kenya); a title that is not the code's own is an error.",
                "Several values in one cell are separated by ; (ITI-2a;ITI-2b). Amounts are whole US dollars; dates \
                 YYYY-MM-DD.",
            ],
        },
        Words {
            headings: ["列", "必填", "含义", "允许的值"],
            yes: "是",
            no: "否",
            pick: "从下拉列表中选择",
            notes: [
                "必填列以粗体和底色标出。各列的含义只有英文说明。",
                "代码可单独填写（KEN、ITI-2a、2），也可按列表的写法在 \" — \" 后附上该代码自己的标题或名称\
                 （KEN — 肯尼亚）；附上的标题若不属于该代码，即报错。",
                "一个单元格内的多个值以 ; 分隔（ITI-2a;ITI-2b）。金额为整数美元；日期为 YYYY-MM-DD。",
            ],
        },
    )
}

/// The template of `table` as bytes.
pub fn render(table: TemplateTable, reference: &Reference, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let columns = table.template_columns();
    let mut used: Vec<ListKind> = columns.iter().filter_map(|c| c.list.map(|(kind, _)| kind)).collect();
    used.sort();
    used.dedup();
    let lists: Vec<(ListKind, Vec<String>)> = used.iter().map(|&kind| (kind, kind.entries(reference, lang))).collect();

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties()?);
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.name())?;
    write_table_sheet(sheet, &columns, &lists)?;
    let dictionary = workbook.add_worksheet();
    dictionary.set_name("dictionary")?;
    write_dictionary(dictionary, &columns, &lists, lang)?;
    let hidden = workbook.add_worksheet();
    hidden.set_name(LISTS)?;
    write_lists(hidden, &lists)?;
    hidden.set_hidden(true);
    workbook.save_to_buffer()
}

/// The range of the `lists` sheet that holds `kind`'s entries.
fn list_range(lists: &[(ListKind, Vec<String>)], kind: ListKind) -> Result<String, XlsxError> {
    let (col, (_, entries)) =
        lists.iter().enumerate().find(|(_, (k, _))| *k == kind).ok_or(XlsxError::ParameterError(kind.name().into()))?;
    let col = sheet_column(col)?;
    Ok(worksheet_range_absolute(LISTS, 1, col, sheet_row(entries.len())?, col))
}

/// Cuts `text` to Excel's limit on a message.
fn message(text: String) -> String {
    match text.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => text[..cut].to_string(),
        None => text,
    }
}

fn write_table_sheet(
    sheet: &mut Worksheet,
    columns: &[TemplateColumn],
    lists: &[(ListKind, Vec<String>)],
) -> Result<(), XlsxError> {
    let required = header_format().set_background_color(Color::RGB(REQUIRED_GROUND));
    let optional = Format::new();
    for (i, column) in columns.iter().enumerate() {
        let col = sheet_column(i)?;
        sheet.write_string_with_format(0, col, column.name, if column.required { &required } else { &optional })?;
        let mut validation = DataValidation::new();
        let mut texts = vec![column.name];
        let mut note = column.meaning.to_string();
        if let Some((kind, check)) = column.list {
            validation = validation.allow_list_formula(Formula::new(list_range(lists, kind)?));
            validation = validation.set_error_style(match check {
                Check::Strict => DataValidationErrorStyle::Stop,
                Check::Warn => DataValidationErrorStyle::Warning,
                Check::Inform => DataValidationErrorStyle::Information,
            });
            if check == Check::Inform {
                note.push_str(" Pick one value, or type several separated by ;.");
            }
            let entries = lists.iter().find(|(k, _)| *k == kind).map(|(_, e)| e.as_slice()).unwrap_or_default();
            texts.extend(entries.iter().map(|e| e.split(SEPARATOR).next().unwrap_or(e)));
            if kind.labelled() {
                // Wide enough for a code and the start of its label; long titles are cut on screen, not in the cell.
                texts.push(LABELLED_WIDTH);
            }
        } else {
            validation = validation.allow_any_value();
        }
        validation = validation.set_input_title(column.name)?.set_input_message(message(note))?;
        sheet.add_data_validation(1, col, LAST_ROW, col, &validation)?;
        sheet.set_column_width(col, column_width(texts).max(12.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_dictionary(
    sheet: &mut Worksheet,
    columns: &[TemplateColumn],
    lists: &[(ListKind, Vec<String>)],
    lang: Lang,
) -> Result<(), XlsxError> {
    let words = words(lang);
    let bold = header_format();
    let wrap = Format::new().set_text_wrap();
    for (i, heading) in words.headings.iter().enumerate() {
        sheet.write_string_with_format(0, sheet_column(i)?, *heading, &bold)?;
    }
    for (i, column) in columns.iter().enumerate() {
        let row = sheet_row(i + 1)?;
        sheet.write_string(row, 0, column.name)?;
        sheet.write_string(row, 1, if column.required { words.yes } else { words.no })?;
        sheet.write_string_with_format(row, 2, column.meaning, &wrap)?;
        let allowed = match column.list {
            None => String::new(),
            Some((kind, _)) if kind.labelled() => format!("{} ({LISTS}!{})", words.pick, kind.name()),
            Some((kind, _)) => lists.iter().find(|(k, _)| *k == kind).map(|(_, e)| e.join(", ")).unwrap_or_default(),
        };
        sheet.write_string_with_format(row, 3, allowed, &wrap)?;
    }
    for (i, note) in words.notes.iter().enumerate() {
        sheet.write_string(sheet_row(columns.len() + 2 + i)?, 0, *note)?;
    }
    let names = columns.iter().map(|c| c.name).chain([words.headings[0]]);
    sheet.set_column_width(0, column_width(names))?;
    sheet.set_column_width(1, 10)?;
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 50)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_lists(sheet: &mut Worksheet, lists: &[(ListKind, Vec<String>)]) -> Result<(), XlsxError> {
    let bold = header_format();
    for (i, (kind, entries)) in lists.iter().enumerate() {
        let col = sheet_column(i)?;
        sheet.write_string_with_format(0, col, kind.name(), &bold)?;
        for (r, entry) in entries.iter().enumerate() {
            sheet.write_string(sheet_row(r + 1)?, col, entry)?;
        }
        sheet.set_column_width(col, column_width(entries.iter().map(String::as_str).chain([kind.name()])))?;
    }
    Ok(())
}
