//! Every word of the API layer a user reads, in English and Simplified Chinese side by side
//! (see [`crate::i18n`]): the titles and advice of each [`ErrorKind`](super::ErrorKind), the
//! sentences of a message, and the words of each [`Reason`](super::Reason), kept here so one
//! test checks them all. Nothing here is called until a message is shown.

crate::texts! { TITLES_AND_ADVICE;
    TITLE_MODERATION => "The prompt was refused by the safety system",
        "提示词被安全系统拒绝";
    TITLE_QUOTA => "Your account is out of credit",
        "你的账户额度已用完";
    TITLE_KEY => "The API key was not accepted",
        "API 密钥未被接受";
    TITLE_ACCOUNT => "Your account may not use this",
        "你的账户无权使用此服务";
    TITLE_RATE_LIMIT => "Too many requests right now",
        "当前请求过多";
    TITLE_BAD_SETTING => "The endpoint does not accept a setting",
        "接口不接受某项设置";
    TITLE_WRONG_ADDRESS => "The endpoint address seems wrong",
        "接口地址似乎有误";
    TITLE_NO_EDITS => "This endpoint does not offer picture changes",
        "这个接口不提供修改图片的功能";
    TITLE_SERVER => "The image service had a problem",
        "图像服务出现问题";
    TITLE_NETWORK => "Could not reach the image service",
        "无法连接到图像服务";
    TITLE_TIMEOUT => "The image service took too long to answer",
        "图像服务响应超时";
    TITLE_UNREADABLE => "The answer could not be understood",
        "无法读懂返回的内容";
    TITLE_NO_IMAGE => "No picture came back",
        "没有返回图片";
    TITLE_INSECURE => "Easel refused an unsafe address",
        "Easel 拒绝了不安全的地址";
    TITLE_CANCELLED => "Cancelled",
        "已取消";
    TITLE_GATEWAY_GAVE_UP => "A gateway in front of the image service gave up waiting for the picture",
        "图像服务前面的网关等不及图片，放弃了等待";
    TITLE_STREAM_CUT => "The connection closed before the picture was finished",
        "图片还没完成，连接就关闭了";

    ADVICE_MODERATION => "Change the prompt and try again; nothing was charged for the refused request.",
        "请修改提示词后再试；被拒绝的请求不会扣费。";
    ADVICE_QUOTA => "Add credit or raise the spending limit on your account, then try again.",
        "请为账户充值或提高消费限额，然后再试。";
    ADVICE_KEY => "Check the key in Settings and paste it again.",
        "请在设置中检查 API 密钥，并重新粘贴。";
    ADVICE_ACCOUNT => "Check your account's status and region with the provider of your key.",
        "请向 API 密钥的提供方确认你的账户状态和所在地区。";
    ADVICE_RATE_LIMIT => "Wait a minute and try again, or run fewer requests at once.",
        "请等一分钟再试，或减少同时发出的请求。";
    /// A rate limit that asked for a wait of more than an hour.
    ADVICE_RATE_LIMIT_LONG_WAIT => "Try again later. If the service keeps asking for such long waits, ask the provider of your key about your account's limits.",
        "请稍后再试。如果服务一直要求等待这么久，请向 API 密钥的提供方询问你账户的用量限制。";
    ADVICE_BAD_SETTING => "Change that setting, or pick another model or endpoint.",
        "请修改该设置，或换一个模型或接口。";
    ADVICE_WRONG_ADDRESS => "Check the endpoint's base URL; it usually ends in /v1, as in https://api.quickrouter.ai/v1.",
        "请检查接口的基础 URL；它通常以 /v1 结尾，例如 https://api.quickrouter.ai/v1。";
    ADVICE_NO_EDITS => "To change a picture, pick another endpoint in Settings, one that offers picture changes (OpenAI does).",
        "要修改图片，请在设置中换一个提供修改图片功能的接口（OpenAI 提供）。";
    ADVICE_SERVER => "This is on the service's side. Try again in a few minutes.",
        "这是服务方的问题，请过几分钟再试。";
    ADVICE_NETWORK => "Check your internet connection and the endpoint address, then try again.",
        "请检查网络连接和接口地址，然后再试。";
    ADVICE_TIMEOUT => "Try again later, or pick a lower quality or smaller size, which is faster.",
        "请稍后再试，或选择较低的质量或较小的尺寸，这样会更快。";
    ADVICE_UNREADABLE => "Try again; if it keeps happening, the endpoint may not be compatible with Easel.",
        "请再试一次；如果问题反复出现，该接口可能与 Easel 不兼容。";
    ADVICE_NO_IMAGE => "Try again; if it keeps happening, try another model or endpoint.",
        "请再试一次；如果问题反复出现，请换一个模型或接口。";
    ADVICE_INSECURE => "Use an https:// address (plain http:// is allowed only for this computer).",
        "请使用 https:// 地址（只有本机地址才允许使用未加密的 http://）。";
    ADVICE_CANCELLED => "Nothing more will arrive for this request.",
        "这次请求不会再返回任何内容。";
    ADVICE_GATEWAY_GAVE_UP => "Previews (Advanced › Previews, 1 to 3) keep the connection alive while the picture is made: turn them on if they are off; if they were on, this endpoint cut it anyway, so try again later or at a lower quality.",
        "预览（高级 › 预览，1 到 3 张）能在生成期间保持连接：如果预览是关闭的，请打开；如果已经打开，说明该接口仍然中断了连接，请稍后再试或降低质量。";
    ADVICE_GATEWAY_GAVE_UP_TERMINAL => "Previews (--previews 1 to 3, the default) keep the connection alive while the picture is made: leave out --no-stream if you gave it; if not, this endpoint cut it anyway, so try again later or at a lower quality.",
        "预览（--previews 1 到 3，默认开启）能在生成期间保持连接：如果用了 --no-stream，请去掉；如果没有，说明该接口仍然中断了连接，请稍后再试或降低质量。";
    ADVICE_KEY_TERMINAL => "Check the key and store it again with `easel key set`, or set EASEL_API_KEY.",
        "请检查密钥，并用 `easel key set` 重新保存，或设置 EASEL_API_KEY。";
    ADVICE_NO_EDITS_TERMINAL => "To change a picture, use another endpoint with --base-url or EASEL_BASE_URL, one that offers picture changes (OpenAI does).",
        "要修改图片，请用 --base-url 或 EASEL_BASE_URL 换一个提供图片修改的接口（OpenAI 提供）。";
    ADVICE_STREAM_CUT => "Try again; pictures finished before the break are saved. If it keeps happening, try another endpoint.",
        "请再试一次；中断之前已完成的图片都已保存。如果问题反复出现，请换一个接口。";

    MAYBE_CHARGED => "The request may still have been charged, so Easel did not repeat it.",
        "这次请求可能已经计费，因此 Easel 没有自动重发。";
    ASKS_TO_WAIT_LONG => "It asks to wait a long time, more than an hour.",
        "服务要求等待很长时间，超过一小时。";
    /// In an error's one sentence ([`ApiError::sentence`](super::ApiError::sentence)).
    MAYBE_CHARGED_SHORT => "It may still have been charged.",
        "这次请求可能已经计费。";
}

crate::texts! { REMEDIES;
    /// The buttons of [`Remedy`](super::Remedy): the action that fixes a failure.
    REMEDY_RETRY => "Try again",
        "再试一次";
    REMEDY_RETRY_LATER => "Try again",
        "再试一次";
    REMEDY_CHANGE_PROMPT => "Change the prompt",
        "修改提示词";
    REMEDY_CHANGE_SETTINGS => "Change the settings",
        "修改设置";
    REMEDY_CHECK_KEY => "Check the key",
        "检查密钥";
    REMEDY_CHECK_SETTINGS => "Check the settings",
        "检查设置";
}

crate::formats! { SENTENCES;
    title_and_reason(title: &str, reason: &str) => "{title}: {reason}.",
        "{title}：{reason}。";
    title_alone(title: &str) => "{title}.",
        "{title}。";
    /// The service's own words, quoted unchanged in either language.
    service_said(detail: &str) => "The service said: “{detail}”.",
        "服务方的原话：“{detail}”。";
    /// A rate limit's advice, with the one wait the service asked for.
    try_again_in(wait: &str) => "Try again in {wait}, or run fewer requests at once.",
        "请在 {wait}后再试，或减少同时发出的请求。";
    /// The same wait in an error's one sentence.
    try_again_in_short(wait: &str) => "Try again in {wait}.",
        "请在 {wait}后再试。";
    request_id(id: &str) => "(Request id for support: {id})",
        "（请求 ID，可提供给技术支持：{id}）";
}

crate::plurals! { WAITS;
    wait_seconds(secs: u64) => "{secs} second", "{secs} seconds",
        "{secs} 秒";
    wait_minutes(minutes: u64) => "about {minutes} minute", "about {minutes} minutes",
        "{minutes} 分钟左右";
    /// After a failure that took more than one request.
    sent_times(times: u64) => "Easel sent the request {times} time.", "Easel sent the request {times} times.",
        "Easel 共发送了 {times} 次请求。";
}

crate::texts! { REASONS;
    NETWORK_DID_NOT_START => "the network layer could not start",
        "网络组件无法启动";
    NO_THREADS => "Easel could not start its background threads",
        "Easel 无法启动后台线程";
    DOWNLOAD_UNFINISHED => "the picture had not finished downloading",
        "图片尚未下载完成";
    REDIRECTED_ELSEWHERE => "the endpoint sent Easel to another address; your key is not sent there",
        "接口把 Easel 转到了另一个地址；你的 API 密钥不会发送到那里";
    ANSWER_TOO_LARGE => "the answer was far larger than any picture",
        "返回的内容远大于任何图片";
    LINK_INVALID => "a picture link was not a valid address",
        "图片链接不是有效的地址";
    LINK_LED_NOWHERE => "a picture link led nowhere",
        "图片链接没有指向任何地方";
    LINK_EXPIRED => "the link to a picture no longer works (such links expire within the hour)",
        "图片链接已失效（这类链接会在一小时内过期）";
    LINK_KEPT_REDIRECTING => "a picture link kept passing Easel on to other addresses and never led to the picture",
        "图片链接不断把 Easel 转到其他地址，始终没有指向图片";
    PLAIN_HTTP_SOMEWHERE => "the address uses plain http://, which would send your key unencrypted",
        "该地址使用未加密的 http://，会把你的 API 密钥以明文发送";
    ADDRESS_WITH_EXTRAS => "the address must be only the endpoint, such as https://api.example.com/v1, with no name, password or ?… part",
        "地址只能是接口本身，例如 https://api.example.com/v1，不能包含用户名、密码或 ?… 部分";
    SERVICE_UNREACHABLE => "could not connect to the service",
        "无法连接到服务";
    HEADERS_TOO_LARGE => "the service could not even read the request, because the key is far longer than a key is",
        "服务甚至无法读取请求，因为密钥远比正常密钥长";
    SERVICE_TOO_SLOW => "the service did not finish answering in time",
        "服务未能及时完成响应";
    SERVICE_CONNECTION_BROKE => "the connection to the service broke",
        "与服务的连接中断了";
    TOO_MANY_REDIRECTS => "the service redirected too many times",
        "服务的重定向次数过多";
    READING_FAILED => "reading the answer failed unexpectedly",
        "读取返回内容时意外出错";
    NO_PICTURE_IN_ANSWER => "the answer held no picture",
        "返回的内容中没有图片";
    ANSWER_EMPTY => "the answer was empty",
        "返回的内容为空";
    ANSWER_WEB_PAGE => "the answer was a web page instead of data; a gateway in front of the service may have failed",
        "返回的是网页而不是数据；服务前面的网关可能出了故障";
    ANSWER_CUT_OFF => "the answer was cut off before its end",
        "返回的内容在结尾之前被截断了";
    ANSWER_WRONG_FORMAT => "the answer was not in the expected format",
        "返回的内容不是预期的格式";
    PICTURE_DAMAGED => "a picture arrived damaged (its data could not be decoded)",
        "收到的图片已损坏（其数据无法解码）";
    NOT_A_PICTURE => "what came back is not a picture Easel can read",
        "返回的不是 Easel 能读取的图片";
}

crate::formats! { REASONS_WITH_VALUES;
    refused_setting(param: &str) => "it refused the setting “{param}”",
        "接口拒绝了设置“{param}”";
    gave_up_after(time: &str) => "the picture was not finished after {time}, the longest Easel waits for one",
        "{time}后图片仍未完成，这是 Easel 等待一张图片的最长时间";
    silent_for(time: &str) => "the service sent nothing at all for {time}",
        "服务在{time}内没有发送任何内容";
    plain_http(host: &str) => "{host} uses plain http://, which would send your key unencrypted",
        "{host} 使用未加密的 http://，会把你的 API 密钥以明文发送";
    unsupported_scheme(scheme: &str) => "“{scheme}:” addresses are not supported",
        "不支持“{scheme}:”地址";
    not_a_web_address(text: &str) => "“{text}” is not a web address such as https://api.example.com/v1",
        "“{text}”不是网址（网址形如 https://api.example.com/v1）";
    no_host(text: &str) => "“{text}” has no host name",
        "“{text}”缺少主机名";
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_is_translated() {
        let tables = [
            super::TITLES_AND_ADVICE,
            super::REMEDIES,
            super::SENTENCES,
            super::WAITS,
            super::REASONS,
            super::REASONS_WITH_VALUES,
        ];
        let problems = crate::i18n::untranslated(&tables, &[]);
        assert!(problems.is_empty(), "{problems:#?}");
        for (name, _, zh) in tables.into_iter().flatten() {
            // Chinese sentences end in full-width punctuation, as the English ones end in ASCII.
            assert!(
                !zh.ends_with('.') && !zh.contains(". ") && !zh.contains(", "),
                "{name}: “{zh}” has English punctuation"
            );
        }
    }
}
