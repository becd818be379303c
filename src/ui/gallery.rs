//! The gallery: thumbnails of every picture, newest first, the prompt on hover.

use super::{text, theme};
use crate::app::{Command, GalleryItem};
use eframe::egui;

/// One thumbnail as a button: click opens the viewer; right-click offers the actions.
pub fn thumbnail_button(ui: &mut egui::Ui, item: &mut GalleryItem, index: usize, side: f32, commands: &mut Vec<Command>) {
    if item.thumbnail.is_none() {
        if let Some(pixels) = &item.thumb_pixels {
            // Textures are made lazily, for thumbnails that are on screen.
            let probe = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(side, side));
            if ui.is_rect_visible(probe) {
                item.thumbnail = Some(ui.ctx().load_texture(format!("thumb-{}", item.saved.meta.file), pixels.clone(), egui::TextureOptions::LINEAR));
            }
        }
    }
    let name = text::picture_name(item.index + 1, &super::jobs::excerpt(&item.saved.meta.request.prompt, 60));
    let response = match &item.thumbnail {
        Some(tex) => ui.add(egui::Button::image(egui::Image::new(tex).max_size(egui::vec2(side, side)).fit_to_exact_size(fit(tex.size_vec2(), side)))),
        None => {
            let caption = if item.broken.is_some() { text::DAMAGED } else { text::LOADING };
            ui.add_sized([side, side], egui::Button::new(caption))
        }
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    let hover = match &item.broken {
        Some(b) => format!("{}\n\n{b}", item.saved.meta.request.prompt),
        None => item.saved.meta.request.prompt.clone(),
    };
    let response = response.on_hover_text(hover);
    if response.clicked() {
        commands.push(Command::OpenViewer(index));
    }
    response.context_menu(|ui| actions_ui(ui, item, index, commands));
}

/// The actions on a picture, for buttons and menus alike.
pub fn actions_ui(ui: &mut egui::Ui, item: &GalleryItem, index: usize, commands: &mut Vec<Command>) {
    if ui.button(text::SAVE_AS).clicked() {
        commands.push(Command::SaveAs(index));
        ui.close();
    }
    if ui.button(text::COPY).clicked() {
        commands.push(Command::Copy(index));
        ui.close();
    }
    if ui.button(text::REUSE).clicked() {
        commands.push(Command::Reuse(index));
        ui.close();
    }
    if ui.button(text::OPEN_FOLDER).clicked() {
        commands.push(Command::OpenFolder(item.saved.path.parent().map(|p| p.to_path_buf())));
        ui.close();
    }
    if ui.button(text::DELETE).clicked() {
        commands.push(Command::Delete(index));
        ui.close();
    }
}

fn fit(size: egui::Vec2, side: f32) -> egui::Vec2 {
    let scale = side / size.x.max(size.y).max(1.0);
    size * scale
}

/// Draws the grid.
pub fn gallery_ui(ui: &mut egui::Ui, items: &mut [GalleryItem], commands: &mut Vec<Command>) {
    ui.add_space(theme::GAP);
    ui.horizontal(|ui| {
        ui.heading(text::GALLERY);
        if !items.is_empty() && ui.button(text::SAVE_ALL).clicked() {
            commands.push(Command::SaveAll);
        }
    });
    if items.is_empty() {
        ui.label(egui::RichText::new(text::GALLERY_EMPTY).color(theme::weak_colour(ui.visuals())));
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (i, item) in items.iter_mut().enumerate() {
            thumbnail_button(ui, item, i, theme::THUMB, commands);
        }
    });
}
