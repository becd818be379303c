//! Every piece of text the window shows, in English and Simplified Chinese, side by side (see
//! [`crate::i18n`]). Sentence case in English; button text that opens a dialog ends in "…"
//! (中文用“…”). A fixed text is a function: `text::GENERATE()`.

use crate::{formats, plurals, texts};

pub use crate::library::sheet::thousands;

texts! { FIXED;
    APP_NAME => "Easel",
        "Easel";

    // The key screen.
    KEY_TITLE => "Paste your API key",
        "粘贴你的 API 密钥";
    KEY_INTRO => "Easel needs an API key to make pictures. It is kept in your system's keyring, never in a file.",
        "Easel 需要 API 密钥才能生成图片。密钥保存在系统密钥环中，不会写入文件。";
    KEY_FIELD => "API key",
        "API 密钥";
    KEY_SHOW => "Show",
        "显示";
    KEY_SAVE => "Save key",
        "保存密钥";
    KEY_TEST => "Test key",
        "测试密钥";
    KEY_TESTING => "Testing the key…",
        "正在测试密钥…";
    KEY_OK => "The key works.",
        "密钥可用。";
    KEY_SESSION_ONLY => "No keyring is available on this system, so the key lasts only until Easel closes.",
        "此系统没有可用的系统密钥环，密钥只保留到 Easel 关闭为止。";
    KEY_FROM_ENV => "The key comes from the EASEL_API_KEY environment variable.",
        "密钥来自环境变量 EASEL_API_KEY。";
    ENDPOINT => "Endpoint",
        "接口";
    ENDPOINT_QUICKROUTER => "QuickRouter",
        "QuickRouter";
    ENDPOINT_OPENAI => "OpenAI",
        "OpenAI";
    ENDPOINT_CUSTOM => "Custom address",
        "自定义地址";
    CUSTOM_URL => "Address of the service",
        "服务地址";
    CUSTOM_URL_HINT => "Type the address your service gives for its API, such as https://example.com/v1.",
        "请输入服务提供的 API 地址，例如 https://example.com/v1。";
    KEY_REFUSED => "The service refused this key: it may be mistyped, cut short or revoked. Copy it again from where you created it, or create a new one.",
        "服务拒绝了这个密钥：可能输错、没有复制完整或已被撤销。请从创建它的地方重新复制，或新建一个。";

    // The form.
    PROMPT => "Prompt",
        "提示词";
    PROMPT_HINT => "Describe the picture you want…",
        "描述你想要的图片…";
    MODEL => "Model",
        "模型";
    MODEL_SUGGESTIONS => "Model suggestions",
        "推荐模型";
    COUNT => "Number of images",
        "图片数量";
    SIZE => "Size",
        "尺寸";
    SIZE_AUTO => "Auto",
        "自动";
    SIZE_SQUARE => "Square 1024×1024",
        "方形 1024×1024";
    SIZE_LANDSCAPE => "Landscape 1536×1024",
        "横向 1536×1024";
    SIZE_PORTRAIT => "Portrait 1024×1536",
        "纵向 1024×1536";
    SIZE_CUSTOM => "Custom…",
        "自定义…";
    WIDTH => "Width",
        "宽度";
    HEIGHT => "Height",
        "高度";
    QUALITY => "Quality",
        "质量";
    QUALITY_LOW => "Low",
        "低";
    QUALITY_MEDIUM => "Medium",
        "中";
    QUALITY_HIGH => "High",
        "高";
    QUALITY_AUTO => "Auto",
        "自动";
    /// Why a custom size is greyed out.
    CUSTOM_SIZE_NEEDS => "Only gpt-image-2 and later make a size of your own.",
        "只有 gpt-image-2 及更新的模型支持自定义尺寸。";
    QUALITY_XHIGH => "Extra high",
        "超高";
    QUALITY_MAX => "Maximum",
        "最高";
    /// Why xhigh and max are greyed out.
    QUALITY_NEEDS_NEWER => "Only gpt-image-2.5 and 2.6 models make this quality.",
        "只有 gpt-image-2.5 和 2.6 模型支持这个质量。";
    COMPLEXITY => "Complexity",
        "复杂度";
    COMPLEXITY_HOVER => "How much the model plans the picture before drawing it. Higher plans more and takes longer.",
        "模型在绘制前对图片的规划程度。越高规划越多，用时越长。";
    COMPLEXITY_DEFAULT => "Model's default",
        "模型默认";
    COMPLEXITY_NEEDS_26 => "Only gpt-image-2.6 models take a complexity.",
        "只有 gpt-image-2.6 模型支持复杂度。";
    FORMAT => "Format",
        "格式";
    ADVANCED => "Advanced",
        "高级";
    BACKGROUND => "Background",
        "背景";
    BACKGROUND_DEFAULT => "Default",
        "默认";
    BACKGROUND_OPAQUE => "Opaque",
        "不透明";
    BACKGROUND_TRANSPARENT => "Transparent",
        "透明";
    COMPRESSION => "Compression (JPEG and WebP)",
        "压缩（JPEG 和 WebP）";
    COMPRESSION_SET => "Set compression",
        "设置压缩";
    MODERATION => "Moderation",
        "内容审核";
    MODERATION_DEFAULT => "Default",
        "默认";
    MODERATION_LOW => "Less strict",
        "较宽松";
    GENERATE => "Generate",
        "生成";
    NO_KEY => "Add an API key first.",
        "请先添加 API 密钥。";
    NO_LIBRARY => "Easel cannot make pictures until its library folder can be used (see above).",
        "在图库文件夹可以使用之前，Easel 无法生成图片（见上方说明）。";
    INTERNAL_PROBLEM => "Something went wrong inside Easel and this stopped. Nothing already saved is lost. Please try again.",
        "Easel 内部出了问题，此操作已停止。已保存的内容都不会丢失。请再试一次。";
    COST_UNKNOWN => "No price known for this model.",
        "暂无此模型的价格。";

    // Jobs.
    CANCEL => "Cancel",
        "取消";
    RETRY => "Retry",
        "重试";
    DISMISS => "Dismiss",
        "关闭";
    WAITING => "Waiting for a free slot…",
        "正在排队等待空位…";
    CANCELLED => "Cancelled.",
        "已取消。";
    /// Opens the line of several failed requests.
    SHOW => "Show",
        "显示";
    HIDE => "Hide",
        "收起";
    DISMISS_ALL => "Dismiss all",
        "全部关闭";

    // Gallery and viewer.
    GALLERY => "Pictures",
        "图库";
    TRY_AN_EXAMPLE => "Not sure where to start? Try one of these:",
        "不知道从哪里开始？试试这些：";
    EXAMPLE_1 => "A red fox curled up in fresh snow, soft morning light, watercolour",
        "清晨柔和的光线里，一只红狐狸蜷缩在新雪中，水彩画";
    EXAMPLE_2 => "A cosy reading corner with a green armchair and tall bookshelves, warm lamp light",
        "温馨的阅读角落，一把绿色扶手椅和高高的书架，温暖的台灯光";
    EXAMPLE_3 => "A lighthouse on a rocky coast at dusk, dramatic clouds, oil painting",
        "黄昏时分岩石海岸上的灯塔，云层壮观，油画";
    GALLERY_EMPTY => "Your pictures will appear here.",
        "你的图片会显示在这里。";
    SAVE_AS => "Save as…",
        "另存为…";
    SAVE_ALL => "Save all…",
        "全部保存…";
    COPY => "Copy image",
        "复制图片";
    COPIED => "The picture is on the clipboard.",
        "图片已复制到剪贴板。";
    DELETE => "Delete",
        "删除";
    // The gallery's grid, its headings, its selection and the requests on their way.
    TODAY => "Today",
        "今天";
    YESTERDAY => "Yesterday",
        "昨天";
    UNKNOWN_DATE => "Date unknown",
        "日期未知";
    SELECT_ALL => "Select all",
        "全选";
    CLEAR_SELECTION => "Clear selection",
        "取消选择";
    SAVE_SELECTION => "Save…",
        "保存…";
    COPY_ONE_AT_A_TIME => "Select one picture to copy it: the clipboard holds one picture at a time.",
        "请只选一张图片再复制：剪贴板一次只能放一张图片。";
    THUMB_SIZE => "Thumbnail size (Ctrl + wheel)",
        "缩略图大小（Ctrl + 滚轮）";
    OPEN_PICTURES_FOLDER => "Show the pictures folder",
        "打开图片文件夹";
    DATE => "Date",
        "日期";
    ALL_PICTURES => "Back to all pictures",
        "返回全部图片";
    IN_THE_TRASH => "They are in the trash until it is emptied.",
        "在清空回收站之前，它们都还在回收站里。";
    PUT_BACK => "Put back",
        "放回";
    PUT_BACK_ALL => "Put back all",
        "全部放回";
    FILTERS => "Filters",
        "筛选";
    ON_ITS_WAY => "On its way",
        "生成中";
    UNDO => "Undo",
        "撤销";
    OPEN_FOLDER => "Open folder",
        "打开文件夹";
    CLOSE => "Close",
        "关闭";
    FIT => "Fit",
        "适应窗口";
    ACTUAL_SIZE => "1:1",
        "1:1";
    ZOOM_IN => "Zoom in",
        "放大";
    ZOOM_OUT => "Zoom out",
        "缩小";
    PREVIOUS => "Previous",
        "上一张";
    NEXT => "Next",
        "下一张";
    LOADING => "Loading…",
        "正在加载…";
    PICTURE_AREA => "The picture",
        "图片";
    DAMAGED => "Damaged",
        "已损坏";
    /// A tile whose picture is whole but larger than Easel opens.
    TOO_LARGE => "Too large to open",
        "太大，无法打开";
    NO_DIALOG => "No file dialog could open on this system. Your pictures are in the library folder:",
        "此系统无法打开文件对话框。你的图片在图库文件夹中：";
    NO_PICTURE_DIALOG => "No file dialog could open on this system. Drop pictures on the window, or copy one and paste it here.",
        "此系统无法打开文件对话框。请把图片拖到窗口上，或复制一张图片后在这里粘贴。";
    SAVED_TO => "Saved to",
        "已保存到";
    FAVOURITE => "Add to favourites",
        "加入收藏";
    UNFAVOURITE => "Remove from favourites",
        "取消收藏";
    NO_DETAILS => "No details",
        "无详细信息";
    LOADING_HISTORY => "Loading your pictures…",
        "正在加载你的图片…";
    NOTHING_MATCHES => "No picture matches the search and filters.",
        "没有符合搜索和筛选条件的图片。";

    // The library in Settings.
    LIBRARY_FOLDER => "Library folder",
        "图库文件夹";
    MOVE_LIBRARY => "Move…",
        "移动…";
    MOVE_WHILE_JOBS => "Wait for the running requests to finish first.",
        "请先等待正在进行的请求完成。";
    MOVING => "Moving the pictures…",
        "正在移动图片…";
    SETTINGS_IN_FILES => "Put the prompt and settings inside pictures I save",
        "在我保存的图片中写入提示词和设置";
    SETTINGS_IN_FILES_HINT => "Save as… and Save all… write them into the file, where other programs can read them. Turn this off to share pictures without them. Pictures in the library always keep them.",
        "“另存为…”和“全部保存…”会把它们写入文件，其他程序可以读取。关闭此项，分享的图片就不含这些信息。图库中的图片始终保留它们。";

    // A dropped picture.
    DROPPED_TITLE => "Settings in this picture",
        "此图片中的设置";
    USE_SETTINGS => "Use these settings",
        "使用这些设置";
    NEGATIVE_PROMPT => "Negative prompt (not used by gpt-image models)",
        "反向提示词（gpt-image 模型不使用）";
    DROP_HINT => "Drop a picture to see the prompt and settings inside it",
        "拖入一张图片，查看其中的提示词和设置";

    // Search and filters.
    SEARCH => "Search prompts",
        "搜索提示词";
    SEARCH_HINT => "Search prompts…",
        "搜索提示词…";
    MODEL_FILTER => "Filter by model",
        "按模型筛选";
    ANY_MODEL => "Any model",
        "所有模型";
    QUALITY_FILTER => "Filter by quality",
        "按质量筛选";
    ANY_QUALITY => "Any quality",
        "所有质量";
    SIZE_FILTER => "Filter by size",
        "按尺寸筛选";
    ANY_SIZE => "Any size",
        "所有尺寸";
    DATE_FILTER => "Filter by date",
        "按日期筛选";
    ANY_TIME => "Any time",
        "所有时间";
    LAST_DAY => "Last 24 hours",
        "最近 24 小时";
    LAST_WEEK => "Last 7 days",
        "最近 7 天";
    LAST_MONTH => "Last 30 days",
        "最近 30 天";
    FAVOURITES => "Favourites",
        "收藏";
    CLEAR_FILTERS => "Clear filters",
        "清除筛选";

    // Progress on a request's tile.
    SENDING => "Sending…",
        "正在发送…";
    MAKING => "Making the pictures…",
        "正在生成图片…";
    ADJUSTING => "Adjusting a setting for this endpoint…",
        "正在为此接口调整一项设置…";

    // The viewer's facts.
    ASKED_SIZE => "Asked size",
        "请求尺寸";
    REAL_SIZE => "Real size",
        "实际尺寸";
    FILE_SIZE => "File size",
        "文件大小";
    TIME => "Time",
        "用时";
    TOKENS_REQUEST => "Tokens (request)",
        "token 数（整个请求）";
    COST_REQUEST => "Cost (request)",
        "花费（整个请求）";
    ESTIMATE => "Estimate",
        "估算";
    CREATED => "Created",
        "创建时间";

    // The viewer's toolbar and details, and the zoom it shares with comparisons.
    MORE => "More",
        "更多";
    MORE_INFO => "More info",
        "更多信息";
    FAVOURITE_TOGGLE => "Favourite",
        "收藏";
    FIT_HOVER => "Fit to the window",
        "适应窗口";
    ACTUAL_SIZE_HOVER => "100%: one picture pixel per screen pixel",
        "100%：一个图片像素对应一个屏幕像素";
    COPY_PROMPT => "Copy prompt",
        "复制提示词";
    OPEN_IN_VIEWER => "Open in the viewer",
        "在查看器中打开";
    REQUEST_ID => "Request id",
        "请求 ID";
    FILE => "File",
        "文件";

    // Comparisons.
    COMPARE_QUALITIES => "Compare qualities…",
        "对比质量…";
    COMPARE_HOVER => "One picture per quality (or any setting you pick), side by side with its time and cost. You see the total before anything is sent.",
        "每种质量（或你选择的其他设置）各生成一张图片，并排显示用时和花费。发送前会先显示总价。";
    COMPARE_TITLE => "Compare",
        "对比";
    COMPARE_INTRO => "One picture per value, side by side. Everything else is as in the form; each picture is a separate paid request.",
        "每个取值生成一张图片，并排显示。其他设置与表单相同；每张图片都是一次单独付费的请求。";
    VARY => "Vary",
        "对比项";
    AND_VARY => "And vary",
        "第二对比项";
    NOTHING => "Nothing (one row)",
        "无（只有一行）";
    VALUES => "Values",
        "取值";
    SIZES_HINT => "1024x1024, 1536x1024",
        "1024x1024, 1536x1024";
    MODELS_HINT => "gpt-image-2, gpt-image-1.5",
        "gpt-image-2, gpt-image-1.5";
    COMPARISON => "Comparison",
        "对比";
    OPEN_COMPARISON => "Open comparison",
        "打开对比";
    EXPORT_SHEET => "Export sheet…",
        "导出对比图…";
    EXPORT_SHEET_HOVER => "One PNG with every picture and its labels, for sharing.",
        "把所有图片及其标签合成一张 PNG，方便分享。";
    AB_WIPE => "A/B wipe",
        "A/B 滑动对比";
    AB_WIPE_HOVER => "Two pictures in one frame with a divider to drag across.",
        "两张图片叠在同一画面中，拖动分隔线来对比。";
    AB_NEEDS_TWO => "Needs two finished pictures.",
        "需要两张已完成的图片。";
    LEFT_PICTURE => "Left (A)",
        "左（A）";
    RIGHT_PICTURE => "Right (B)",
        "右（B）";
    DIVIDER => "Divider",
        "分隔线";
    SAME_DETAIL => "Drag or scroll on any picture: all follow. Double-click switches between fit and 100%.",
        "在任一图片上拖动或滚动，其他图片会同步。双击可在适应窗口和 100% 之间切换。";
    NOT_MADE => "Not made.",
        "未生成。";
    CELL_DELETED => "Deleted.",
        "已删除。";
    PICK_A_VALUE => "Tick or type at least one value to compare.",
        "请至少勾选或输入一个要对比的取值。";
    EXPORT_WAIT => "Wait for every picture to arrive first.",
        "请先等待所有图片生成完毕。";
    NO_PICTURE_CAME => "No picture came back.",
        "没有返回图片。";
    NO_DIALOG_SHEET => "No file dialog could open on this system.",
        "此系统无法打开文件对话框。";

    // Language, fonts and size.
    LANGUAGE => "Language",
        "语言";
    LANGUAGE_HINT => "The language of Easel's window. It starts in your system's language.",
        "Easel 窗口使用的语言。首次启动时跟随系统语言。";
    UI_SCALE => "Size of text and controls",
        "文字和控件大小";
    UI_SCALE_HINT => "Ctrl + and Ctrl − change it too; Ctrl 0 goes back to the system's size.",
        "也可以用 Ctrl + 和 Ctrl − 调整；Ctrl 0 恢复系统大小。";
    NO_CJK_FONT => "Chinese, Japanese or Korean text cannot be shown: this computer has no font for it. Install one (on Debian or Ubuntu: sudo apt install fonts-noto-cjk) and restart Easel.",
        "无法显示中文、日文或韩文：这台电脑没有相应的字体。请安装一款字体（Debian 或 Ubuntu：sudo apt install fonts-noto-cjk），然后重新启动 Easel。";

    // Settings and the app.
    PRICES => "Prices per picture (USD): low / medium / high",
        "每张图片价格（美元）：低 / 中 / 高";
    PRICES_SQUARE => "1024×1024",
        "1024×1024";
    PRICES_WIDE => "1536×1024 and 1024×1536",
        "1536×1024 和 1024×1536";
    SETTINGS => "Settings…",
        "设置…";
    SETTINGS_TITLE => "Settings",
        "设置";
    REPLACE_KEY => "Replace key…",
        "更换密钥…";
    FORGET_KEY => "Forget key",
        "移除密钥";
    TIMEOUT => "Longest wait for a picture, in seconds", "等待一张图片的最长时间（秒）";
    IDLE_TIMEOUT => "Longest silence from the service, in seconds", "服务最长的静默时间（秒）";
    /// Under the two waits.
    TIMEOUTS_APPLY => "Easel gives up on a request after the longest wait, or sooner when the service sends nothing at all for the longest silence. Changes apply when Easel next starts.",
        "超过最长等待时间，或服务完全没有发送内容达到最长静默时间时，Easel 会放弃请求。更改在 Easel 下次启动时生效。";
    MAX_JOBS => "Requests at once",
        "同时进行的请求数";
    ABOUT => "About…",
        "关于…";
    ABOUT_TEXT => "Easel makes pictures with gpt-image models through QuickRouter or any OpenAI-compatible endpoint.",
        "Easel 通过 QuickRouter 或任何兼容 OpenAI 的接口，使用 gpt-image 模型生成图片。";
    PER_MILLION_OUTPUT_TOKENS => "per million output tokens (any size)",
        "每百万输出 token（任意尺寸）";
    ABOUT_PICTURES => "Your pictures",
        "你的图片";
    ABOUT_KEY => "Your key",
        "你的密钥";
    ABOUT_LICENCE => "Licence",
        "许可证";
    KEY_IN_KEYRING => "Kept in your system's keyring, never in a file.",
        "保存在系统密钥环中，不会写入文件。";
    NO_KEY_YET => "Not given yet.",
        "尚未提供。";
    CLOSE_TITLE => "Requests are still running",
        "仍有请求正在进行";
    CLOSE_TEXT => "They are paid requests: if you quit now, pictures that have not arrived yet are lost.",
        "这些是付费请求：如果现在退出，尚未收到的图片将会丢失。";
    CLOSE_ANYWAY => "Quit anyway",
        "仍然退出";
    KEEP_OPEN => "Keep Easel open",
        "不退出";

    // Plain words (issue 13): the form's calm hint, the patterns of times and settings.
    /// Beside a greyed-out Generate before anything is typed: a hint, not a complaint.
    PROMPT_FIRST => "Type a prompt to start.",
        "输入提示词即可开始。";
    /// A picture's cost when it is under a cent.
    LESS_THAN_A_CENT => "less than $0.01",
        "不到 $0.01";
    /// Under a comparison's grid cell: "Use these settings".
    USE_THESE_SETTINGS => "Use these settings",
        "使用这组设置";
    /// How a date and time is written (chrono's format): "2026-11-24 15:30", "2026年11月24日 15:30".
    TIME_PATTERN => "%Y-%m-%d %H:%M",
        "%Y年%-m月%-d日 %H:%M";
    PRICES_NOTE => "Costs are estimates at OpenAI's list prices; your endpoint may charge differently.",
        "费用按 OpenAI 官方价格估算；你的接口实际收费可能不同。";
    // A change of pictures (the form's top, the gallery's menu).
    CHANGE_TITLE => "Change a picture",
        "修改图片";
    STOP_CHANGING => "Stop changing",
        "不再修改";
    STOP_CHANGING_HOVER => "Go back to making new pictures. The pictures stay in the gallery.",
        "回到生成新图片。图片仍保留在图库中。";
    FIRST_IS_CHANGED => "The first picture is the one changed; the others guide the change. Drag to reorder.",
        "修改的是第一张图片，其余图片作为参考。拖动可调整顺序。";
    KEEP_OUTSIDE => "Keep everything else exactly as it is",
        "其余部分保持原样";
    KEEP_OUTSIDE_HOVER => "The model sometimes changes more than the painted area. Easel puts the rest of your picture back as it was. Turn this off to keep the model's whole picture.",
        "模型有时会改动涂抹区域以外的部分。Easel 会把其余部分恢复原样。关闭后将保留模型生成的整张图片。";
    READ_CLOSELY => "Follow the pictures closely (costs more)",
        "更忠实于原图（费用更高）";
    READ_CLOSELY_HOVER => "The model reads the pictures in more detail, which keeps faces and small details closer to the originals.",
        "模型会更细致地读取图片，人脸和细节更接近原图。";
    ADD_PICTURES => "Add pictures…",
        "添加图片…";
    ADD_PICTURES_HOVER => "Add pictures to guide the change (up to 16). You can also drop pictures on the window or paste one with Ctrl+V.",
        "添加用于参考的图片（最多 16 张）。也可以把图片拖到窗口中，或用 Ctrl+V 粘贴。";
    REMOVE_PICTURE => "Remove",
        "移除";
    MAKE_FIRST => "Change this one",
        "改为修改这一张";
    CHANGE_PROMPT => "What should change",
        "要怎样修改";
    CHANGE_PROMPT_HINT => "Say what to change, for example “the same, with a red hat”…",
        "描述要修改的地方，例如“保持不变，只加一顶红帽子”…";
    INPUT_COST_NOTE => "Includes reading your pictures.",
        "已包含读取图片的费用。";
    SEND_CHANGE => "Change",
        "修改";
    READING_PICTURES => "Reading the pictures…",
        "正在读取图片…";
    CHANGE_THIS_PICTURE => "Change this picture…",
        "修改这张图片…";
    USE_AS_REFERENCE => "Use as reference",
        "用作参考";
    PREVIEWS => "Previews",
        "预览";
    PREVIEWS_HOVER => "Blurry previews while the picture is made. They show it coming, and keep a slow request from being cut off by relays that end quiet connections.",
        "生成过程中显示模糊的预览。既能看到进度，也能防止慢请求被会断开空闲连接的中转服务中断。";
    PREVIEW_STILL_MAKING => "The picture is still being made; it takes this one's place when it comes.",
        "图片仍在生成中，完成后会替换这张预览。";
    PREVIEWS_OFF => "Off",
        "关闭";
    ASK_PREVIEWS_AGAIN => "Ask with previews again", "重新请求预览";
    PAINT_AREA => "Paint where to change…",
        "涂出要修改的地方…";
    PAINT_AREA_HOVER => "Paint over the part of the picture that should change; everything else stays exactly as it is.",
        "在图片上涂出需要修改的部分，其余部分保持原样。";
    WHOLE_PICTURE_MAY_CHANGE => "Nothing painted: the whole picture may change.",
        "未涂抹区域：整张图片都可能被修改。";
    PAINT_AGAIN => "Edit the area…",
        "编辑区域…";
    REMOVE_AREA => "Remove the area",
        "移除区域";
    REMOVE_AREA_HOVER => "Forget the painted area: the whole picture may change.",
        "清除涂抹的区域：整张图片都可能被修改。";

    // mask painter
    MASK_DONE => "Done",
        "完成";
    MASK_DONE_HOVER => "Back, keeping what is painted",
        "返回，保留已涂抹的区域";
    MASK_BRUSH => "Brush",
        "画笔";
    MASK_BRUSH_HOVER => "Brush: paint over what should change",
        "画笔：涂抹需要修改的地方";
    MASK_ERASER => "Eraser",
        "橡皮擦";
    MASK_ERASER_HOVER => "Eraser: take paint away",
        "橡皮擦：擦掉涂抹";
    MASK_RECTANGLE => "Rectangle",
        "矩形";
    MASK_RECTANGLE_HOVER => "Rectangle: drag to paint a rectangle",
        "矩形：拖动以涂满一个矩形";
    MASK_SIZE => "Size",
        "大小";
    MASK_SIZE_HOVER => "The brush's size on screen; zoom in to paint finer detail",
        "画笔在屏幕上的大小；放大图片可以涂得更精细";
    MASK_REDO => "Redo",
        "重做";
    MASK_CLEAR => "Clear",
        "清除";
    MASK_CLEAR_HOVER => "Take all the paint away",
        "擦掉全部涂抹";
    MASK_INVERT => "Invert",
        "反选";
    MASK_INVERT_HOVER => "Paint what is not painted, and take the paint from what is",
        "涂抹未涂抹的部分，并擦掉已涂抹的部分";
    MASK_HINT => "Paint over what should change. Everything else stays exactly as it is.",
        "涂抹需要修改的地方，其余部分会完全保持原样。";
    MASK_SHARE_TINY => "Less than 1% of the picture will change.",
        "图片中不到 1% 的部分会被修改。";
    MASK_PICTURE => "The picture to paint on",
        "要涂抹的图片";

    // versions: the chain of changes in the viewer, before/after, and the viewer's Change.
    VERSIONS => "Versions",
        "版本";
    ORIGINAL => "Original",
        "原图";
    BEFORE_AFTER => "Before / after",
        "修改前后";
    BEFORE_AFTER_HOVER => "The picture this change was made from on the left, the change on the right, with a divider to drag across.",
        "左边是修改前的图片，右边是修改后的，拖动分隔线来对比。";
    BEFORE => "Before",
        "修改前";
    AFTER => "After",
        "修改后";
    GO_BACK => "Go back to this version",
        "回到这个版本";
    GO_BACK_HOVER => "Make the next change from this version. The later versions stay in the gallery.",
        "从这个版本开始下一次修改。之后的版本仍保留在图库中。";
    CHANGE_PICTURE => "Change",
        "修改";
    CHANGE_PICTURE_HOVER => "Change this picture: describe the change, and paint where if you like",
        "修改这张图片：描述要改的内容，也可以涂出要改的地方";
    OTHER_CHANGES_HOVER => "Changes made from these versions along another line. They are in the gallery.",
        "从这些版本另外做出的修改，它们都在图库中。";
}

formats! { WITH_VALUES;
    /// Under the previews setting: what they add.
    previews_cost(cost: &str) => "Adds {cost} a picture.",
        "每张图片另加 {cost}。";
    /// Under the previews setting, when the endpoint refused them lately.
    previews_refused(day: &str) => "This endpoint failed with previews lately, so Easel asks it without them until {day}.",
        "这个接口最近在使用预览时出错，因此在 {day} 之前，Easel 向它请求时不带预览。";
    /// On a request's tile while its picture streams in.
    preview_step(step: u8, of: u8) => "Preview {step} of {of}",
        "预览 {step}/{of}";
    /// Under the pictures of a change: how much of the first is painted.
    painted_share(percent: &str) => "Changing {percent}% of the picture",
        "修改图片的 {percent}%";
    /// A picture of a change, for the pointer and screen readers.
    changed_picture(name: &str) => "{name}: the picture changed",
        "{name}：要修改的图片";
    reference_picture(name: &str) => "{name}: a reference",
        "{name}：参考图片";
    sending_again(attempt: u32) => "Sending again (attempt {attempt})…",
        "正在重新发送（第 {attempt} 次）…";
    receiving(amount: &str) => "Receiving ({amount})…",
        "正在接收（{amount}）…";
    from_tokens(cost: &str) => "{cost} from tokens",
        "{cost}（按 token 计）";
    estimated(cost: &str) => "{cost} estimated",
        "约 {cost}（估算）";
    no_file_manager(folder: &str) => "Could not open a file manager. The folder is {folder}",
        "无法打开文件管理器。文件夹位于 {folder}";
    unreadable_picture(path: &str, why: &str) => "The picture could not be read from {path}: {why}",
        "无法读取图片 {path}：{why}";
    /// In Settings: the endpoint requests go to.
    endpoint_in_use(address: &str) => "Requests go to {address}",
        "请求发送到 {address}";
    endpoint_fixed(address: &str) => "Requests go to {address}, set by the EASEL_BASE_URL environment variable; the choice of endpoint here does not apply while it is set.",
        "请求发送到 {address}，由环境变量 EASEL_BASE_URL 指定；设置该变量时，这里的接口选择不起作用。";
    /// On the key screen, before a key is typed, when no keyring can keep it.
    no_keyring_ahead(why: &str) => "Easel cannot keep your key on this computer ({why}): it will last until Easel closes, and you will be asked for it again next time.",
        "Easel 无法在这台电脑上保存你的密钥（{why}）：密钥只保留到 Easel 关闭，下次启动时需要重新输入。";
    version(v: &str) => "Version {v}",
        "版本 {v}";
    /// "Low · $0.006 each".
    quality_with_cost(quality: &str, each: &str) => "{quality} · {each} each",
        "{quality} · 每张 {each}";
    /// "2 × Low · Landscape 1536×1024 · PNG · gpt-image-2".
    settings_line(n: u8, quality: &str, size: &str, format: &str, model: &str) => "{n} × {quality} · {size} · {format} · {model}",
        "{n} × {quality} · {size} · {format} · {model}";
    /// The Start button of the compare dialog: "Make 3 pictures".
    make_pictures_grouped(pictures: &str) => "Make {pictures}",
        "生成 {pictures}";
    comparison_total_known(pictures: &str, cost: &str) => "{pictures}, {cost} in all at list prices.",
        "{pictures}，按官方价格共 {cost}。";
    no_price_for(unknown: usize) => "No price is known for {unknown} of them.",
        "其中 {unknown} 张的价格未知。";
    /// The comparison's summary line: "2 of 3 made · $0.18 in all".
    comparison_made_cost(made: usize, all: usize, cost: &str) => "{made} of {all} made · {cost} in all",
        "已生成 {made}/{all} · 共 {cost}";
    comparison_made_count(made: usize, all: usize) => "{made} of {all} made",
        "已生成 {made}/{all}";
    /// "High cost 35× Low".
    times_dearer(dear: &str, times: f64, cheap: &str) => "{dear} cost {times:.0}× {cheap}",
        "{dear}的花费是{cheap}的 {times:.0} 倍";
    /// After "Use this quality".
    using_cell(label: &str) => "The form now uses {label}.",
        "表单已改为 {label}。";
    /// The name a screen reader gives a cell's picture.
    cell_picture(label: &str) => "Picture for {label}",
        "{label} 的图片";
    /// In the terminal, when the window cannot open.
    window_failed(why: &str) => "the window could not open ({why}). `easel generate --help` works without a window.",
        "窗口无法打开（{why}）。不用窗口也可以使用 `easel generate --help`。";
    /// After Export sheet….
    sheet_saved(path: &str, width: u32, height: u32) => "Sheet saved to {path} ({width}×{height}).",
        "对比图已保存到 {path}（{width}×{height}）。";
    /// A comparison whose details cannot be read back.
    comparison_unreadable(why: &str) => "This comparison cannot be shown again: {why}",
        "无法再次显示这组对比：{why}";
    /// Why a picture's details are missing.
    details_damaged(reason: &str) => "This picture's details could not be read ({reason}). The picture itself is fine.",
        "无法读取这张图片的详细信息（{reason}）。图片本身完好。";
    /// A dropped file that is not a picture.
    not_a_picture(name: &str) => "“{name}” is not a PNG, JPEG or WebP picture.",
        "“{name}”不是 PNG、JPEG 或 WebP 图片。";
    /// A dropped picture without settings inside.
    no_settings_inside(name: &str) => "“{name}” has no prompt or settings inside it. Pictures made by Easel, by A1111, or by other tools that write a “parameters” text have them.",
        "“{name}”中没有提示词或设置。由 Easel、A1111 或其他写入“parameters”文本的工具生成的图片才有。";
    /// When the system's trash refused a picture.
    trash_fallback(reason: &str, folder: &str) => "The system's trash could not take the picture ({reason}), so it was moved to {folder}.",
        "系统回收站无法接收这张图片（{reason}），因此已将其移到 {folder}。";
    /// "Picture 2: a red fox in…", the name a screen reader gives a thumbnail.
    picture_name(index: usize, prompt: &str) => "Picture {index}: {prompt}",
        "第 {index} 张图片：{prompt}";
    /// "Picture 2: a red fox in… (Too large to open)": a tile whose picture cannot be shown.
    tile_with_state(name: &str, state: &str) => "{name} ({state})",
        "{name}（{state}）";
    /// The accessible name of a request's tile: "Picture 2 of 4, on its way: a red fox…".
    coming_name(index: usize, of: usize, prompt: &str) => "Picture {index} of {of}, on its way: {prompt}",
        "第 {index} 张（共 {of} 张），生成中：{prompt}";
    ended_name(prompt: &str) => "Request: {prompt}",
        "请求：{prompt}";
    /// A known model the endpoint does not list, in the picker.
    not_listed(about: &str) => "{about} · not listed by your service",
        "{about} · 你的服务未列出";
    /// A screen reader's name for a model's token price in Settings.
    price_per_tokens(model: &str) => "{model}: price per million output tokens",
        "{model}：每百万输出 token 的价格";
    /// The viewer's place among the pictures shown: "3 of 31".
    picture_of(at: usize, of: usize) => "{at} of {of}",
        "第 {at} / {of} 张";
    /// The header's figures: "This session: 3 pictures, about $0.05".
    session_spend(pictures: &str, cost: &str) => "This session: {pictures}, {cost}",
        "本次：{pictures}，{cost}";
    /// The ⋯ menu's entry and the bar's title: "Recently deleted (3)".
    recently_deleted(count: usize) => "Recently deleted ({count})",
        "最近删除（{count}）";
    /// "gpt-image-2, 1024×1024, Low", the name of a price field.
    price_name(model: &str, shape: &str, quality: &str) => "{model}, {shape}, {quality}",
        "{model}，{shape}，{quality}";
    /// "3 of 1000 characters".
    char_count(count: usize, limit: usize) => "{count} of {limit} characters",
        "{count}/{limit} 个字符";
    /// "up to $0.21", the most an `auto` setting could cost.
    up_to(figure: &str) => "up to {figure}",
        "最多 {figure}";
    at_least(figure: &str) => "at least {figure}",
        "至少 {figure}";
    estimated_cost(total: &str) => "Estimated cost: {total}",
        "预计花费：{total}";
    estimated_cost_each(total: &str, n: u8, each: &str) => "Estimated cost: {total} ({n} × {each})",
        "预计花费：{total}（{n} × {each}）";

    // The viewer's toolbar and details.
    /// A toolbar button's tooltip: "Copy image (Ctrl+C)".
    with_shortcut(action: &str, keys: &str) => "{action} ({keys})",
        "{action}（{keys}）";
    /// "2026-11-24 15:30 · made in 12 s".
    made_in(when: &str, time: &str) => "{when} · made in {time}",
        "{when} · 用时 {time}";
    /// "about $0.01": one figure for a picture's cost.
    about(figure: &str) => "about {figure}",
        "约 {figure}";
    /// "Use this quality", under a comparison's cell that varies one setting.
    use_this_setting(setting: &str) => "Use this {setting}",
        "使用这个{setting}";
    /// "2 minutes 5 seconds", each part already worded.
    minutes_and_seconds(minutes: &str, seconds: &str) => "{minutes} {seconds}",
        "{minutes} {seconds}";

    // mask painter
    /// "12% of the picture will change."
    mask_share(percent: u32) => "{percent}% of the picture will change.",
        "图片中 {percent}% 的部分会被修改。";
    // versions
    /// Under a version's thumbnail in the viewer: "Change 2".
    change_number(step: usize) => "Change {step}",
        "修改 {step}";
    /// The before/after wipe, for screen readers: "Before / after: Change 1 | Change 2".
    before_after_of(before: &str, after: &str) => "Before / after: {before} | {after}",
        "修改前后：{before} | {after}";
}

plurals! { COUNTED;
    /// A change's reference pictures, in the viewer (their file names on hover).
    references(count: usize) => "Made with {count} reference picture", "Made with {count} reference pictures",
        "参考了 {count} 张图片";
    /// The toast after Undo of a delete.
    restored(count: usize) => "The picture is back.", "{count} pictures are back.",
        "已恢复 {count} 张图片。";
    /// The toast after a delete.
    deleted(count: usize) => "The picture was moved to the trash.", "{count} pictures were moved to the trash.",
        "已将 {count} 张图片移到回收站。";
    /// The selection bar: "3 selected".
    selected(count: usize) => "{count} picture selected", "{count} pictures selected",
        "已选 {count} 张";
    /// The header while requests run: "Making 3 pictures…".
    making(count: usize) => "Making {count} picture…", "Making {count} pictures…",
        "正在生成 {count} 张图片…";
    /// "3 pictures".
    pictures(count: usize) => "{count} picture", "{count} pictures",
        "{count} 张图片";
    /// "3 images", the hover text of a number of images to ask for.
    count_hover(count: u8) => "{count} image", "{count} images",
        "{count} 张";
    /// "4,210 tokens".
    tokens(count: u64) => "{count} token", "{count} tokens",
        "{count} 个 token";
    /// "Saved 3 pictures to /home/me/Pictures".
    saved_all(count: usize, folder: &str) => "Saved {count} picture to {folder}.", "Saved {count} pictures to {folder}.",
        "已将 {count} 张图片保存到 {folder}。";
    downloading(count: usize) => "Downloading {count} picture…", "Downloading {count} pictures…",
        "正在下载 {count} 张图片…";
    pictures_in(count: usize, time: &str) => "{count} picture in {time}", "{count} pictures in {time}",
        "{count} 张图片，用时 {time}";
    arrived_and_saved(count: usize) => "{count} picture arrived and is saved.", "{count} pictures arrived and are saved.",
        "{count} 张图片已收到并保存。";
    /// The line several failed requests fold into.
    requests_failed(n: usize) => "{n} request failed", "{n} requests failed",
        "{n} 个请求失败";
    requests_running(n: usize) => "{n} request running.", "{n} requests running.",
        "有 {n} 个请求正在进行。";
    /// "12 of 1,000 pictures", `shown` already grouped.
    shown_of_all(all: usize, shown: &str) => "{shown} of {all} picture", "{shown} of {all} pictures",
        "显示 {shown} / {all} 张图片";
    /// After the library moved.
    library_moved(files: usize, folder: &str) => "Moved {files} file. The library is now in {folder}.", "Moved {files} files. The library is now in {folder}.",
        "已移动 {files} 个文件。图库现在位于 {folder}。";
    /// At start, after a move that an earlier run began was finished.
    move_finished(files: usize, folder: &str) => "Easel finished moving your pictures into {folder}, which it had begun before it last closed: {files} more file moved.", "Easel finished moving your pictures into {folder}, which it had begun before it last closed: {files} more files moved.",
        "Easel 完成了上次关闭前开始的图片移动，图片现在位于 {folder}：又移动了 {files} 个文件。";
    /// After a move, the files it did not take.
    left_behind(files: usize, folder: &str) => "{files} other file in {folder} is not one of Easel's pictures and stayed where it is.", "{files} other files in {folder} are not Easel's pictures and stayed where they are.",
        "{folder} 中另有 {files} 个文件不是 Easel 的图片，已留在原处。";
    /// The About box's line on drawing speed.
    frame_times(frames: u64, mean_ms: f64, worst_ms: f64) => "Drawing: {frames} frame, {mean_ms:.1} ms on average, {worst_ms:.1} ms at most.", "Drawing: {frames} frames, {mean_ms:.1} ms on average, {worst_ms:.1} ms at most.",
        "绘制：{frames} 帧，平均 {mean_ms:.1} 毫秒，最长 {worst_ms:.1} 毫秒。";
    /// A request waiting to be sent again: "Too many requests right now; trying again in 2 seconds…".
    retrying(secs: u64, reason: &str) => "{reason}; trying again in {secs} second…", "{reason}; trying again in {secs} seconds…",
        "{reason}；{secs} 秒后重试…";
    /// "12 seconds".
    seconds_count(secs: u64) => "{secs} second", "{secs} seconds",
        "{secs} 秒";
    /// "2 minutes", a part of a longer time.
    minutes_count(minutes: u64) => "{minutes} minute", "{minutes} minutes",
        "{minutes} 分钟";

    // versions
    /// After the versions in the viewer: "+ 2 other changes".
    other_changes(count: usize) => "+ {count} other change", "+ {count} other changes",
        "另有 {count} 个修改";
}

/// The line saying requests are still running, and what quitting would cost.
pub fn running_requests(n: usize) -> String {
    format!("{} {}", requests_running(n), CLOSE_TEXT())
}

/// "12 of 1,000 pictures".
pub fn shown_of(shown: usize, all: usize) -> String {
    shown_of_all(all, &thousands(shown))
}

/// The Start button of the compare dialog.
pub fn make_pictures(n: usize) -> String {
    make_pictures_grouped(&pictures(n))
}

/// "3 pictures, $0.27 in all at list prices."
pub fn comparison_total(n: usize, cost: &str, unknown: usize) -> String {
    let base = comparison_total_known(&pictures(n), cost);
    if unknown == 0 { base } else { format!("{base} {}", no_price_for(unknown)) }
}

/// The comparison's summary line: "2 of 3 made · $0.18 in all".
pub fn comparison_made(made: usize, all: usize, cost: Option<&str>) -> String {
    match cost {
        Some(c) => comparison_made_cost(made, all, c),
        None => comparison_made_count(made, all),
    }
}

/// "Use this quality", "Use this size", or for a grid "Use these settings".
pub fn use_this(settings: &[crate::compare::Setting]) -> String {
    match settings {
        [one] => use_this_setting(one.word()),
        _ => USE_THESE_SETTINGS().into(),
    }
}

/// A day in the computer's time zone, as a sentence names it: "14 December", "12月14日".
pub fn local_day(t: std::time::SystemTime) -> String {
    let day = chrono::DateTime::<chrono::Local>::from(t);
    match crate::i18n::current() {
        crate::i18n::Lang::En => day.format("%-d %B").to_string(),
        crate::i18n::Lang::ZhCn => day.format("%-m月%-d日").to_string(),
    }
}

/// An RFC 3339 time in the computer's time zone: "2026-11-24 15:30", "2026年11月24日 15:30".
pub fn local_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&chrono::Local).format(TIME_PATTERN()).to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// A gallery heading: "Today", "Yesterday", "Monday 24 November", with the year when it is not
/// this one's.
pub fn day_heading(day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use crate::i18n::{Lang, current};
    use chrono::Datelike;
    if day == today {
        return TODAY().to_string();
    }
    if today.pred_opt() == Some(day) {
        return YESTERDAY().to_string();
    }
    let this_year = day.year() == today.year();
    let pattern = match (current(), this_year) {
        (Lang::En, true) => "%A %-d %B",
        (Lang::En, false) => "%A %-d %B %Y",
        (Lang::ZhCn, true) => "%-m月%-d日",
        (Lang::ZhCn, false) => "%Y年%-m月%-d日",
    };
    let date = day.format(pattern).to_string();
    match current() {
        Lang::En => date,
        // chrono names weekdays in English only.
        Lang::ZhCn => format!(
            "{date} {}",
            ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][day.weekday().num_days_from_monday() as usize]
        ),
    }
}

/// "about $0.01": one picture's cost as a view shows it by default, whether it came from the
/// tokens reported or the price table (both are list prices, so both are "about"), rounded to
/// the cent; "less than $0.01" below half a cent. The detail is for "More info".
pub fn about_cost(usd: f64) -> String {
    let cents = (usd * 100.0).round();
    if cents < 1.0 { LESS_THAN_A_CENT().into() } else { about(&format!("${:.2}", cents / 100.0)) }
}

/// "$0.012", or "up to $0.21" for an upper bound.
pub fn cost(usd: f64, approximate: bool) -> String {
    let figure = if usd < 0.1 { format!("${usd:.3}") } else { format!("${usd:.2}") };
    if approximate { up_to(&figure) } else { figure }
}

/// An estimate in words: "$0.053", "up to $0.22" (the most it can cost), "at least $0.21"
/// (xhigh and max, whose cost is not published).
pub fn estimate(e: &crate::endpoint::Estimate) -> String {
    if e.at_least { at_least(&cost(e.usd, false)) } else { cost(e.usd, e.approximate) }
}

/// "Estimated cost: $0.012 (2 × $0.006)".
pub fn request_cost(total: &str, n: u8, each: &str) -> String {
    if n == 1 { estimated_cost(total) } else { estimated_cost_each(total, n, each) }
}

/// A time rounded to the second: "1 second", "12 seconds", "2 minutes 5 seconds", "2 minutes".
pub fn seconds(secs: f64) -> String {
    // A negative or not-a-number time (a clock that went back) is said as none.
    let whole = if secs.is_finite() && secs > 0.0 { secs.round() as u64 } else { 0 };
    let (m, s) = (whole / 60, whole % 60);
    match (m, s) {
        (0, s) => seconds_count(s),
        (m, 0) => minutes_count(m),
        (m, s) => minutes_and_seconds(&minutes_count(m), &seconds_count(s)),
    }
}

/// "1.2 MB".
pub fn bytes(n: u64) -> String {
    crate::library::sheet::file_size(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Texts that read the same in both languages: names, formats, symbols.
    const SAME_IN_BOTH: &[&str] = &[
        "APP_NAME",
        "ENDPOINT_QUICKROUTER",
        "ENDPOINT_OPENAI",
        "ACTUAL_SIZE",
        "PRICES_SQUARE",
        "SIZES_HINT",
        "MODELS_HINT",
        "settings_line",
        "price_name",
        "minutes_and_seconds",
    ];

    #[test]
    fn every_text_is_translated() {
        let problems = crate::i18n::untranslated(&[FIXED, WITH_VALUES, COUNTED], SAME_IN_BOTH);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn counts_take_their_form_in_english() {
        let texts =
            || (requests_running(1), saved_all(2, "f"), shown_of(1, 1), shown_of(12, 1000), pictures_in(1, "3 s"));
        let en = crate::i18n::with(Lang::En, texts);
        assert_eq!(
            (en.0.as_str(), en.1.as_str(), en.2.as_str(), en.3.as_str(), en.4.as_str()),
            (
                "1 request running.",
                "Saved 2 pictures to f.",
                "1 of 1 picture",
                "12 of 1,000 pictures",
                "1 picture in 3 s"
            )
        );
        assert_eq!(crate::i18n::with(Lang::ZhCn, texts).0, "有 1 个请求正在进行。");
    }

    #[test]
    fn values_are_formatted_per_language() {
        let figures = || (pictures(1234), seconds(125.0), count_hover(3), local_time("2026-11-24T15:30:00Z"));
        let (zh, en) = (crate::i18n::with(Lang::ZhCn, figures), crate::i18n::with(Lang::En, figures));
        // A time that could not be read comes back as given (with its "T"): these were read.
        let (zh, en) = (
            (zh.0, zh.1, zh.2, zh.3.contains('年')),
            (en.0, en.1, en.2, en.3.starts_with("2026-11-2") && !en.3.contains('T')),
        );
        assert_eq!(zh, ("1,234 张图片".to_string(), "2 分钟 5 秒".to_string(), "3 张".to_string(), true));
        assert_eq!(en, ("1,234 pictures".to_string(), "2 minutes 5 seconds".to_string(), "3 images".to_string(), true));
    }

    #[test]
    fn counts_of_zero_one_and_two_in_both_languages() {
        let said = || {
            [0usize, 1, 2].map(|n| {
                (pictures(n), seconds(n as f64), count_hover(n as u8), tokens(n as u64), retrying(n as u64, "Busy"))
            })
        };
        let [zero, one, two] = crate::i18n::with(Lang::En, said);
        assert_eq!(
            zero,
            (
                "0 pictures".into(),
                "0 seconds".into(),
                "0 images".into(),
                "0 tokens".into(),
                "Busy; trying again in 0 seconds…".into()
            )
        );
        assert_eq!(
            one,
            (
                "1 picture".into(),
                "1 second".into(),
                "1 image".into(),
                "1 token".into(),
                "Busy; trying again in 1 second…".into()
            )
        );
        assert_eq!(
            two,
            (
                "2 pictures".into(),
                "2 seconds".into(),
                "2 images".into(),
                "2 tokens".into(),
                "Busy; trying again in 2 seconds…".into()
            )
        );
        let [zero, one, two] = crate::i18n::with(Lang::ZhCn, said);
        assert_eq!(
            zero,
            ("0 张图片".into(), "0 秒".into(), "0 张".into(), "0 个 token".into(), "Busy；0 秒后重试…".into())
        );
        assert_eq!(
            one,
            ("1 张图片".into(), "1 秒".into(), "1 张".into(), "1 个 token".into(), "Busy；1 秒后重试…".into())
        );
        assert_eq!(
            two,
            ("2 张图片".into(), "2 秒".into(), "2 张".into(), "2 个 token".into(), "Busy；2 秒后重试…".into())
        );
        let times = || (seconds(60.0), seconds(61.0), seconds(0.4), seconds(-3.0), seconds(59.6));
        assert_eq!(
            crate::i18n::with(Lang::En, times),
            ("1 minute".into(), "1 minute 1 second".into(), "0 seconds".into(), "0 seconds".into(), "1 minute".into())
        );
        assert_eq!(crate::i18n::with(Lang::ZhCn, times).1, "1 分钟 1 秒");
        assert_eq!(
            crate::i18n::with(Lang::En, || frame_times(1, 2.0, 3.0)),
            "Drawing: 1 frame, 2.0 ms on average, 3.0 ms at most."
        );
    }

    #[test]
    fn one_cost_per_picture_reads_about_so_much() {
        let said = |lang| {
            crate::i18n::with(lang, || (about_cost(0.006), about_cost(0.053), about_cost(0.004), about_cost(0.211)))
        };
        assert_eq!(
            said(Lang::En),
            ("about $0.01".into(), "about $0.05".into(), "less than $0.01".into(), "about $0.21".into())
        );
        assert_eq!(said(Lang::ZhCn), ("约 $0.01".into(), "约 $0.05".into(), "不到 $0.01".into(), "约 $0.21".into()));
    }

    #[test]
    fn hand_made_texts_follow_the_language() {
        use crate::compare::Setting;
        let said = || (use_this(&[Setting::Quality]), use_this(&[Setting::Quality, Setting::Size]));
        assert_eq!(crate::i18n::with(Lang::En, said), ("Use this quality".into(), "Use these settings".into()));
        assert_eq!(crate::i18n::with(Lang::ZhCn, said).1, "使用这组设置");
    }
}
