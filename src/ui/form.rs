//! The form: prompt, model, number, size, quality, format and the advanced settings, with the
//! cost before sending and Generate disabled, with its reason, when the request would be refused.

use super::{text, theme};
use crate::api::{Background, Complexity, ImageRequest, Moderation, OutputFormat, Quality, Size, ValidationError};
use crate::app::change::ChangeDraft;
use crate::app::form::{FormState, SizeChoice};
use crate::app::{Blocked, Command};
use crate::endpoint::{Endpoint, Prices};
use eframe::egui;

/// What the form needs to know besides its own state.
pub struct FormInfo<'a> {
    pub endpoint: Option<Endpoint>,
    pub prices: &'a Prices,
    /// The request the form describes, or why it cannot be sent.
    pub validation: Result<ImageRequest, Blocked>,
    /// While pictures are changed: what the change section shows, and the image input tokens
    /// the pictures will cost.
    pub change: Option<(super::change::ChangeInfo, u64)>,
    /// Until when the endpoint is asked without previews, because it refused them lately.
    pub previews_refused_until: Option<std::time::SystemTime>,
    /// The image models the endpoint lists, once read.
    pub listed: Option<&'a [String]>,
}

fn size_label(s: SizeChoice) -> &'static str {
    match s {
        SizeChoice::Auto => text::SIZE_AUTO(),
        SizeChoice::Square => text::SIZE_SQUARE(),
        SizeChoice::Landscape => text::SIZE_LANDSCAPE(),
        SizeChoice::Portrait => text::SIZE_PORTRAIT(),
        SizeChoice::Custom => text::SIZE_CUSTOM(),
    }
}

/// Size in the form's words: "Landscape 1536×1024", or "2048×1152" for a custom one.
pub fn size_words(s: Size) -> String {
    match s {
        Size::Auto => text::SIZE_AUTO().into(),
        Size::Square => text::SIZE_SQUARE().into(),
        Size::Landscape => text::SIZE_LANDSCAPE().into(),
        Size::Portrait => text::SIZE_PORTRAIT().into(),
        Size::Custom { width, height } => format!("{width}×{height}"),
    }
}

/// Quality in the form's words.
pub fn quality_label(q: Quality) -> &'static str {
    match q {
        Quality::Low => text::QUALITY_LOW(),
        Quality::Medium => text::QUALITY_MEDIUM(),
        Quality::High => text::QUALITY_HIGH(),
        Quality::XHigh => text::QUALITY_XHIGH(),
        Quality::Max => text::QUALITY_MAX(),
        Quality::Auto => text::QUALITY_AUTO(),
    }
}

/// Draws the form: its fields scroll; the cost and Generate stay in a footer below them, so
/// Generate is in sight at every window size and opening Advanced moves nothing else.
/// `generate_key`: its key (Ctrl+Enter) was pressed this frame, taken before the prompt box saw it.
pub fn form_ui(
    ui: &mut egui::Ui,
    form: &mut FormState,
    change: &mut ChangeDraft,
    info: &FormInfo<'_>,
    generate_key: bool,
    commands: &mut Vec<Command>,
) {
    // No side margins of its own: the footer lines up with the fields above it.
    let frame = egui::Frame::new().inner_margin(egui::Margin::symmetric(0, 8));
    let footer = egui::Panel::bottom("form-footer").frame(frame).show(ui, |ui| {
        if cost_and_buttons_ui(ui, form, change.preparing, info, generate_key, commands) {
            // Sent: the next prompt can be typed at once.
            ui.memory_mut(|m| m.request_focus(prompt_id()));
        }
    });
    // A panel at the foot is placed by last frame's height: when its lines change (a change
    // begun says that reading the pictures is paid), the frame is drawn again before it is
    // shown, rather than show Generate a line off for a frame.
    let (id, height) = (egui::Id::unique("form-footer-height"), footer.response.rect.height());
    let last: Option<f32> = ui.data_mut(|d| d.get_temp(id));
    ui.data_mut(|d| d.insert_temp(id, height));
    if last.is_some_and(|last| (last - height).abs() > 0.5) {
        ui.ctx().request_discard("the form's footer changed height");
    }
    // Asked for by `Command::FocusPrompt` ("Change the prompt"): given once, then forgotten.
    let focus = std::mem::take(&mut form.focus_prompt);
    let before = (!form.touched).then(|| form.clone());
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some((change_info, _)) = &info.change {
            super::change::change_ui(ui, change, change_info, commands);
        }
        fields_ui(ui, form, info, focus, commands);
    });
    if before.is_some_and(|b| b != *form) {
        form.touched = true;
    }
}

/// The prompt box's identity, so that the footer (and `Command::FocusPrompt`) can give it the focus.
pub fn prompt_id() -> egui::Id {
    egui::Id::unique("prompt")
}

/// The prompt and the settings.
fn fields_ui(ui: &mut egui::Ui, form: &mut FormState, info: &FormInfo<'_>, focus: bool, commands: &mut Vec<Command>) {
    let limit = info.endpoint.as_ref().map_or(crate::endpoint::OPENAI_PROMPT_LIMIT, |e| e.prompt_limit);
    let changing = info.change.is_some();
    let (label, hint) = if changing {
        (text::CHANGE_PROMPT(), text::CHANGE_PROMPT_HINT())
    } else {
        (text::PROMPT(), text::PROMPT_HINT())
    };
    let label = ui.label(egui::RichText::new(label).strong());
    let prompt = ui
        .add(
            egui::TextEdit::multiline(&mut form.prompt)
                .id(prompt_id())
                .hint_text(hint)
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    // Typing right after start goes into the prompt: it takes the focus the first time it is
    // drawn (remembered in egui's memory, not the app's: it is the view's own business).
    let focused_once = egui::Id::unique("prompt-focused-once");
    if focus || !ui.data(|d| d.get_temp::<bool>(focused_once).unwrap_or(false)) {
        prompt.request_focus();
        ui.data_mut(|d| d.insert_temp(focused_once, true));
    }
    let count = form.prompt.chars().count();
    // A prompt too long is a warning once the user has typed, not for a remembered one at start.
    let colour = if count > limit && form.touched {
        theme::error_colour(ui.visuals())
    } else {
        theme::weak_colour(ui.visuals())
    };
    ui.colored_label(colour, text::char_count(count, limit));
    ui.add_space(theme::GAP);

    settings_ui(ui, form, info);
    egui::CollapsingHeader::new(text::ADVANCED())
        .id_salt("advanced")
        .show(ui, |ui| advanced_ui(ui, form, info, changing, commands));
    ui.add_space(theme::GAP);
}

/// Model, number, size, quality (each with its cost) and format.
fn settings_ui(ui: &mut egui::Ui, form: &mut FormState, info: &FormInfo<'_>) {
    egui::Grid::new("form-grid").num_columns(2).spacing([theme::GAP, theme::GAP]).show(ui, |ui| {
        let label = ui.label(text::MODEL());
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut form.model).desired_width(150.0)).labelled_by(label.id);
            let picker = egui::ComboBox::from_id_salt("model-suggestions")
                .selected_text("")
                .width(24.0)
                .show_ui(ui, |ui| models_ui(ui, form, info.listed));
            picker
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, text::MODEL_SUGGESTIONS()));
        });
        ui.end_row();

        ui.label(text::COUNT());
        // Ten small buttons of one width, on one line at every width the form takes: one click,
        // no dragging, the choice always in sight, and "10" never alone on a line of its own.
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            ui.spacing_mut().button_padding.x = 2.0;
            let count = f32::from(crate::api::MAX_IMAGES);
            let gaps = ui.spacing().item_spacing.x * (count - 1.0);
            let width = ((ui.available_width() - gaps) / count).floor().clamp(18.0, 30.0);
            let size = egui::vec2(width, ui.spacing().interact_size.y);
            for n in 1..=crate::api::MAX_IMAGES {
                let button = egui::Button::selectable(form.n == n, n.to_string());
                if ui.add_sized(size, button).on_hover_text(text::count_hover(n)).clicked() {
                    form.n = n;
                }
            }
        });
        ui.end_row();

        let label = ui.label(text::SIZE());
        ui.vertical(|ui| {
            egui::ComboBox::from_id_salt("size")
                .selected_text(size_label(form.size))
                .show_ui(ui, |ui| {
                    for s in [
                        SizeChoice::Square,
                        SizeChoice::Landscape,
                        SizeChoice::Portrait,
                        SizeChoice::Auto,
                        SizeChoice::Custom,
                    ] {
                        // A custom size is for the models that make one; greyed out, with why.
                        let takes = s != SizeChoice::Custom || crate::api::models::rules(&form.model).custom_sizes;
                        ui.add_enabled_ui(takes, |ui| ui.selectable_value(&mut form.size, s, size_label(s)))
                            .response
                            .on_disabled_hover_text(text::CUSTOM_SIZE_NEEDS());
                    }
                })
                .response
                .labelled_by(label.id);
            if form.size == SizeChoice::Custom {
                ui.horizontal(|ui| {
                    let w = ui.label(text::WIDTH());
                    ui.add(egui::TextEdit::singleline(&mut form.custom_width).desired_width(56.0)).labelled_by(w.id);
                    let h = ui.label(text::HEIGHT());
                    ui.add(egui::TextEdit::singleline(&mut form.custom_height).desired_width(56.0)).labelled_by(h.id);
                });
                // The rules are checked as the user types.
                if let Err(e) = form.size().and_then(super::super::api::request::Size::check_custom_rules) {
                    ui.colored_label(complaint_colour(ui, form), e.to_string());
                }
            }
        });
        ui.end_row();

        ui.label(text::QUALITY());
        ui.vertical(|ui| {
            let size = form.size().unwrap_or(Size::Square);
            let takes = crate::api::models::rules(&form.model).qualities;
            for q in Quality::ALL {
                // Only the newer models take xhigh and max: shown to them alone, or while one of
                // them is still the form's choice (greyed out, with why).
                let extra = matches!(q, Quality::XHigh | Quality::Max);
                if extra && !takes.contains(q) && form.quality != *q {
                    continue;
                }
                // With the previews asked for: the figure beside a quality is what a picture costs.
                let each = info.prices.estimate(&form.order(size).quality(*q).pictures(1));
                let each = each.map(|e| text::estimate(&e));
                let caption = match each {
                    Some(c) => text::quality_with_cost(quality_label(*q), &c),
                    None => quality_label(*q).to_string(),
                };
                ui.add_enabled_ui(takes.contains(q), |ui| ui.radio_value(&mut form.quality, *q, caption))
                    .response
                    .on_disabled_hover_text(text::QUALITY_NEEDS_NEWER());
            }
        });
        ui.end_row();

        ui.label(text::FORMAT());
        ui.horizontal(|ui| {
            for f in OutputFormat::ALL {
                ui.radio_value(&mut form.format, *f, f.wire().to_uppercase());
            }
        });
        ui.end_row();
    });
}

/// The model picker's list: the models Easel knows, newest first, each with what it is for (and
/// whether the endpoint lists it, once its list is read); then the endpoint's other image
/// models. Any other name can be typed in the box beside it.
fn models_ui(ui: &mut egui::Ui, form: &mut FormState, listed: Option<&[String]>) {
    ui.set_min_width(theme::MENU_WIDTH * 1.6);
    let weak = theme::weak_colour(ui.visuals());
    let lists =
        |id: &str| listed.is_none_or(|l| l.iter().any(|x| crate::api::models::find(x).is_some_and(|k| k.id == id)));
    let mut pick = |ui: &mut egui::Ui, id: &str, about: String| {
        let chosen = form.model.trim().eq_ignore_ascii_case(id)
            || crate::api::models::find(&form.model).is_some_and(|k| k.id == id);
        let line = (egui::RichText::new(id), egui::RichText::new(format!("  {about}")).color(weak));
        if ui.add(egui::Button::selectable(chosen, line)).clicked() {
            form.model = id.to_string();
            ui.close();
        }
    };
    for m in crate::api::models::offered() {
        let about = if lists(m.id) { (m.about)().to_string() } else { text::not_listed((m.about)()) };
        pick(ui, m.id, about);
    }
    let others: Vec<&String> =
        listed.into_iter().flatten().filter(|id| crate::api::models::find(id).is_none()).collect();
    if !others.is_empty() {
        ui.separator();
        // The catalogue's own words for a model it does not know: "From your service".
        ui.label(egui::RichText::new((crate::api::models::UNKNOWN.about)()).color(weak));
        for id in others {
            pick(ui, id, String::new());
        }
    }
}

/// The request's estimated cost, Generate and Compare, and why they are greyed out if they are.
fn cost_and_buttons_ui(
    ui: &mut egui::Ui,
    form: &FormState,
    preparing: bool,
    info: &FormInfo<'_>,
    generate_key: bool,
    commands: &mut Vec<Command>,
) -> bool {
    let (size, n) = (form.size().unwrap_or(Size::Square), u32::from(form.n));
    let estimate = info.prices.estimate(&form.order(size).pictures(n).inputs(info.change.as_ref().map(|c| c.1)));
    let weak = theme::weak_colour(ui.visuals());
    match estimate {
        Some(total) => {
            let each = crate::endpoint::Estimate { usd: total.usd / f64::from(form.n.max(1)), ..total };
            ui.label(text::request_cost(&text::estimate(&total), form.n, &text::estimate(&each)));
            if info.change.is_some() {
                ui.label(egui::RichText::new(text::INPUT_COST_NOTE()).small().color(weak));
            }
            ui.label(egui::RichText::new(text::PRICES_NOTE()).small().color(weak));
        }
        None => {
            ui.label(text::COST_UNKNOWN());
        }
    }
    ui.add_space(theme::GAP);

    let changing = info.change.is_some();
    let ready = info.validation.is_ok() && !preparing;
    let mut sent = false;
    ui.horizontal(|ui| {
        let (word, command) = match (changing, preparing) {
            (false, _) => (text::GENERATE(), Command::Generate),
            (true, false) => (text::SEND_CHANGE(), Command::SendChange),
            (true, true) => (text::READING_PICTURES(), Command::SendChange),
        };
        let button = ui
            .add_enabled(ready, theme::primary_button(ui, word, ready).min_size(egui::vec2(120.0, 32.0)))
            .on_hover_text(super::actions::key_cap(ui.ctx(), crate::app::Action::Generate));
        if button.clicked() || (generate_key && ready) {
            commands.push(command);
            sent = true;
        }
        let compare = ui
            .add_enabled(ready, egui::Button::new(text::COMPARE_QUALITIES()).min_size(egui::vec2(0.0, 32.0)))
            .on_hover_text(text::COMPARE_HOVER());
        if compare.clicked() {
            commands.push(Command::AskCompare);
        }
    });
    match &info.validation {
        // Before anything is typed, an empty prompt is where everyone starts: a calm hint.
        Err(Blocked::Invalid(ValidationError::EmptyPrompt)) if !form.touched => {
            ui.colored_label(theme::weak_colour(ui.visuals()), text::PROMPT_FIRST());
        }
        // Emptied again: said plainly, still not a warning.
        Err(reason @ Blocked::Invalid(ValidationError::EmptyPrompt)) => {
            ui.colored_label(theme::weak_colour(ui.visuals()), reason.to_string());
        }
        Err(reason) => {
            ui.colored_label(complaint_colour(ui, form), reason.to_string());
        }
        // The line stays, empty: the footer keeps its height, so Generate does not move when
        // the first character is typed.
        Ok(_) => {
            ui.label("");
        }
    }
    ui.add_space(theme::GAP / 2.0);
    sent
}

/// The colour of what is wrong with the form: a warning once the user has changed it, a calm
/// hint for a form as it was remembered from the last time.
fn complaint_colour(ui: &egui::Ui, form: &FormState) -> egui::Color32 {
    if form.touched { theme::warn_colour(ui.visuals()) } else { theme::weak_colour(ui.visuals()) }
}

/// `changing`: the moderation setting is left out, as a change never sends it.
fn advanced_ui(
    ui: &mut egui::Ui,
    form: &mut FormState,
    info: &FormInfo<'_>,
    changing: bool,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("advanced").num_columns(2).spacing([theme::GAP, theme::GAP]).show(ui, |ui| {
        ui.label(text::BACKGROUND());
        // Wrapped, so that opening Advanced never widens the form (and moves the pictures).
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut form.background, None, text::BACKGROUND_DEFAULT());
            ui.radio_value(&mut form.background, Some(Background::Opaque), text::BACKGROUND_OPAQUE());
            ui.radio_value(&mut form.background, Some(Background::Transparent), text::BACKGROUND_TRANSPARENT());
        });
        ui.end_row();

        ui.label(text::COMPRESSION());
        ui.add_enabled_ui(form.format != OutputFormat::Png, |ui| {
            ui.horizontal(|ui| {
                let mut on = form.compression.is_some();
                if ui.checkbox(&mut on, text::COMPRESSION_SET()).changed() {
                    form.compression = on.then_some(80);
                }
                if let Some(c) = &mut form.compression {
                    let slider = ui.add(egui::Slider::new(c, 0..=100).suffix("%"));
                    slider.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, text::COMPRESSION()));
                }
            });
        });
        ui.end_row();

        previews_ui(ui, form, info, commands);
        ui.end_row();

        complexity_ui(ui, form);
        ui.end_row();

        if changing {
            return;
        }
        ui.label(text::MODERATION());
        ui.horizontal(|ui| {
            ui.radio_value(&mut form.moderation, None, text::MODERATION_DEFAULT());
            ui.radio_value(&mut form.moderation, Some(Moderation::Low), text::MODERATION_LOW());
        });
        ui.end_row();
    });
}

/// gpt-image-2.6's complexity: the model's own default, or low to high; off, with why, for the
/// models that do not take it.
fn complexity_ui(ui: &mut egui::Ui, form: &mut FormState) {
    let takes = crate::api::models::rules(&form.model).complexity;
    let label = ui.label(text::COMPLEXITY()).on_hover_text(text::COMPLEXITY_HOVER());
    ui.add_enabled_ui(takes, |ui| {
        let word = |c: Option<Complexity>| match c {
            None => text::COMPLEXITY_DEFAULT(),
            Some(Complexity::Low) => text::QUALITY_LOW(),
            Some(Complexity::Medium) => text::QUALITY_MEDIUM(),
            Some(Complexity::High) => text::QUALITY_HIGH(),
        };
        egui::ComboBox::from_id_salt("complexity")
            .selected_text(word(form.complexity))
            .show_ui(ui, |ui| {
                for c in [None, Some(Complexity::Low), Some(Complexity::Medium), Some(Complexity::High)] {
                    ui.selectable_value(&mut form.complexity, c, word(c));
                }
            })
            .response
            .labelled_by(label.id)
    })
    .response
    .on_disabled_hover_text(text::COMPLEXITY_NEEDS_26());
}

/// Previews while a picture is made: off, or 1–3, with what they add to the cost. They also keep
/// a slow request alive behind gateways that cut silent connections (see `DEFAULT_PREVIEWS`).
fn previews_ui(ui: &mut egui::Ui, form: &mut FormState, info: &FormInfo<'_>, commands: &mut Vec<Command>) {
    ui.label(text::PREVIEWS()).on_hover_text(text::PREVIEWS_HOVER());
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            ui.radio_value(&mut form.previews, 0, text::PREVIEWS_OFF());
            for n in 1..=crate::api::MAX_PREVIEWS {
                ui.radio_value(&mut form.previews, n, n.to_string());
            }
        });
        // What the previews add to one picture: the same order priced with and without them.
        let one = form.order(form.size().unwrap_or(Size::Square)).pictures(1);
        let with = info.prices.estimate(&one).map(|e| e.usd);
        let without = info.prices.estimate(&one.previews(0)).map(|e| e.usd);
        let each = with.zip(without).map(|(w, o)| w - o).filter(|_| form.previews > 0);
        let weak = theme::weak_colour(ui.visuals());
        if let Some(usd) = each {
            ui.colored_label(weak, text::previews_cost(&text::cost(usd, true)));
        }
        // The endpoint refused them lately: said here, where they are asked for, with a way back.
        if let Some(until) = info.previews_refused_until.filter(|_| form.previews > 0) {
            ui.colored_label(weak, text::previews_refused(&text::local_day(until)));
            if ui.button(text::ASK_PREVIEWS_AGAIN()).clicked() {
                commands.push(Command::AskPreviewsAgain);
            }
        }
    });
}
